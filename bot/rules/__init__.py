"""Rules packs: the dated tables (amounts, fees, sources) as versioned files, in force while the bot runs."""

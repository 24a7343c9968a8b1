"""Reminders of the dates that matter after a result (issue 15): what to remind and when (pure), and
a durable scheduler that sends what is due (channel-agnostic)."""

"""The Textual terminal UI (`okrcoach tui`): edit a draft with the coach beside you.

tui.app.OkrCoachApp is given a tui.engine.CoachEngine (the adapter to the jobs in `coach`); tui.saving holds
the file-level work it builds on and tui.actions declares every action once (keys, palette, help). screens/
and widgets/ hold the views, and reach the app through tui.host.CoachHost, never by importing tui.app;
app.tcss holds the styles; tui.state, tui.storage and coach.write.dump are plain Python.
"""

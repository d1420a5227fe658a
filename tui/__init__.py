"""The Textual terminal UI (`okrcoach tui`): edit a draft with the coach beside you.

tui.app.OkrCoachApp is given a tui.engine.CoachEngine (the adapter to the jobs in `coach`); screens/ and
widgets/ hold the views, app.tcss the styles; tui.state, tui.storage and coach.write.dump are plain Python.
"""

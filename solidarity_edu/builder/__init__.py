"""The build: plan -> execute (papermill) -> export (nbconvert) -> print (Chromium) -> index.

Nothing here imports the helpers the notebooks use (charts, exercises, data, journal): the build sees
lessons only as notebooks.
"""

"""Sources: find the input files of a folder and read each into a document, or say why not.

folder.py   every file of the folder, and what a run does with each (the plan)
read.py     one file through the reader its name calls for; only the folder is read
text.py     the plain-text reader
records.py  what a reader makes of a file: RawDocument, FileReject or Skipped
"""

// The library users import is `SMSArchive`; the types its API hands out that are defined in lower
// layers (records, JSON values, timestamps, the errors of the format and of reading inputs) come with it.
@_exported import SMSIngest
@_exported import SMSRecords
@_exported import SMSSupport

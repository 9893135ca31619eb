package store

// exeSuffix is what executables' names end with on this platform.
const exeSuffix = ".exe"

// homeVar names the variable that holds the user's home folder.
const homeVar = "USERPROFILE"

// homeHint is the fix for a GOVER_HOME gover cannot use.
const homeHint = `setx GOVER_HOME "%USERPROFILE%\.gover"`

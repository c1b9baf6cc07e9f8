package storage

// Scripts are the store's Lua scripts by name, for the check that each ran on a cluster.
var Scripts = scripts

package storage

import "github.com/redis/go-redis/v9"

// scripts are every Lua script of the store, by name. Each touches the keys of one
// hash slot only (a Redis Cluster refuses any other), and the storage tests check on
// a cluster that every one of them ran there (storage_test.go, TestMain).
var scripts = map[string]*redis.Script{}

// newScript defines a script and registers it.
func newScript(name, src string) *redis.Script {
	if _, ok := scripts[name]; ok {
		panic("storage: script " + name + " defined twice")
	}
	s := redis.NewScript(src)
	scripts[name] = s
	return s
}

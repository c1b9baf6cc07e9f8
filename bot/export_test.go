package bot

// OpenChat exposes the opening of a sealed chat id to the external tests.
func (e *Engine) OpenChat(pid, sealed string) (string, error) { return e.openChat(pid, sealed) }

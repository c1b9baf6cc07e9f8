package whatsapptest

import (
	"strconv"
	"time"
)

// The customer service window: "a 24-hour timer … starts or refreshes whenever a
// user messages you"; within it any message type may be sent, outside it only
// approved templates, and a free-form message is refused with 131047 "Re-engagement
// message". Sending a template does not open the window; only the resident's own
// message does (SendText and the other inbound helpers).
const serviceWindow = 24 * time.Hour

// templateKey names an approved template in one language.
type templateKey struct{ name, lang string }

// templateSpec is what an approved template takes.
type templateSpec struct {
	bodyParams   int
	quickReplies int
}

// ApproveTemplate registers template name in language lang (e.g. "nl") as approved,
// with bodyParams {{n}} variables in its body and quickReplies quick-reply buttons.
// Sending any other template is refused with 132001.
func (s *Server) ApproveTemplate(name, lang string, bodyParams, quickReplies int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.templates[templateKey{name, lang}] = templateSpec{bodyParams: bodyParams, quickReplies: quickReplies}
}

// WindowOpen reports whether waID's customer service window is open now.
func (s *Server) WindowOpen(waID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.windowOpenLocked(waID)
}

func (s *Server) windowOpenLocked(waID string) bool {
	last, ok := s.lastInbound[waID]
	return ok && s.now().Sub(last) < serviceWindow
}

// checkContentLocked applies the window, the templates and the media ids to an
// otherwise valid message.
func (s *Server) checkContentLocked(m *Sent) *graphError {
	if m.Type == "template" {
		return s.checkTemplateLocked(m.Template)
	}
	if !s.windowOpenLocked(m.To) {
		return apiError(CodeReEngagement, "")
	}
	if (m.Type == "image" || m.Type == "document") && m.MediaID != "" {
		if _, ok := s.media[m.MediaID]; !ok {
			return invalidParameter("Param image['id'] is not a valid whatsapp business account media attachment ID")
		}
	}
	return nil
}

func (s *Server) checkTemplateLocked(t *Template) *graphError {
	spec, ok := s.templates[templateKey{t.Name, t.Language}]
	if !ok {
		return apiError(CodeTemplateMissing, "template name ("+t.Name+") does not exist in "+t.Language)
	}
	if len(t.BodyParams) != spec.bodyParams {
		return apiError(CodeTemplateParams, "body: number of localizable_params ("+strconv.Itoa(len(t.BodyParams))+
			") does not match the expected number of params ("+strconv.Itoa(spec.bodyParams)+")")
	}
	seen := map[int]bool{}
	for _, q := range t.QuickReplies {
		i, err := strconv.Atoi(q.Index)
		if err != nil || i < 0 || i >= spec.quickReplies || seen[i] {
			return parameterInvalid("Button at index %q does not exist in template %s, which has %d quick replies", q.Index, t.Name, spec.quickReplies)
		}
		seen[i] = true
	}
	return nil
}

// accept runs an outbound message through the injected failures, the limits and
// the content checks, and records it when all pass. It answers the message id.
func (s *Server) accept(m *Sent) (string, *graphError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.flood.arrive(m.To, now)
	if code, ok := s.takeCannedLocked(false); ok {
		return "", apiError(code, "")
	}
	if gerr := s.flood.enforce(m.To, now); gerr != nil {
		return "", gerr
	}
	if gerr := s.checkContentLocked(m); gerr != nil {
		return "", gerr
	}
	id := s.recordLocked(m, now)
	if code, ok := s.takeCannedLocked(true); ok {
		s.enqueueStatusLocked(id, m.To, StatusFailed, code)
		return id, nil
	}
	for _, st := range s.statuses {
		s.enqueueStatusLocked(id, m.To, st, 0)
	}
	return id, nil
}

func (s *Server) recordLocked(m *Sent, now time.Time) string {
	m.MessageID = s.newMessageIDLocked(m.To)
	m.Time = now
	s.chats[m.To] = append(s.chats[m.To], *m)
	return m.MessageID
}

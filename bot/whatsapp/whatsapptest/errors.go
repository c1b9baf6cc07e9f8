package whatsapptest

import (
	"fmt"
	"net/http"
	"strings"
)

// Graph API errors as the Cloud API answers them
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes/):
//
//	{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,
//	  "error_data":{"messaging_product":"whatsapp","details":"Cloud API message throughput has been reached."},
//	  "error_subcode":2494055,"fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}
//
// The message is "(#<code>) <title>"; Meta asks clients to act on code and
// error_data.details, not on the title. The HTTP statuses follow the error-codes
// page's table: 401 for the token, 429 for the throttling codes (4, 80007, 130429,
// 131048, 131056), 404 for a missing template, 400 otherwise.

// graphError is one failed request's answer.
type graphError struct {
	status  int
	code    int
	subcode int
	typ     string // "OAuthException" unless the Graph API says otherwise
	message string
	details string // error_data.details; "" leaves error_data out
}

// codeInfo is one row of the error-codes page.
type codeInfo struct {
	status  int
	title   string
	details string
	subcode int
}

// Error codes the fake answers, by code. FailNext accepts any of them; others get a
// generic title.
var codes = map[int]codeInfo{
	4:      {http.StatusTooManyRequests, "Application request limit reached", "The app has reached its API call rate limit.", 0},
	100:    {http.StatusBadRequest, "Invalid parameter", "", 0},
	131000: {http.StatusInternalServerError, "Something went wrong", "Message failed to send due to an unknown error.", 0},
	131008: {http.StatusBadRequest, "Required parameter is missing", "", 0},
	131009: {http.StatusBadRequest, "Parameter value is not valid", "", 0},
	131026: {http.StatusBadRequest, "Message undeliverable", "Unable to deliver message.", 0},
	131047: {http.StatusBadRequest, "Re-engagement message", "More than 24 hours have passed since the recipient last replied to the sender number.", 0},
	131048: {http.StatusTooManyRequests, "Spam rate limit hit", "Message failed to send because there are restrictions on how many messages can be sent from this phone number.", 0},
	131051: {http.StatusBadRequest, "Unsupported message type", "Message type is not currently supported.", 0},
	131053: {http.StatusBadRequest, "Media upload error", "", 0},
	131056: {http.StatusTooManyRequests, "(Business Account, Consumer Account) pair rate limit hit", "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.", 0},
	130429: {http.StatusTooManyRequests, "Rate limit hit", "Cloud API message throughput has been reached.", 2494055},
	80007:  {http.StatusTooManyRequests, "Rate limit issues", "The WhatsApp Business Account has reached its rate limit.", 0},
	132000: {http.StatusBadRequest, "Number of parameters does not match the expected number of params", "", 0},
	132001: {http.StatusNotFound, "Template name does not exist in the translation", "", 0},
	133016: {http.StatusBadRequest, "Account register deregister rate limit exceeded", "Registration or deregistration failed because there were too many attempts for this phone number in a short period of time.", 0},
}

// Error codes the fake itself answers with.
const (
	CodeInvalidParameter  = 100
	CodeParameterInvalid  = 131009
	CodeReEngagement      = 131047
	CodeUndeliverable     = 131026
	CodeRateLimitHit      = 130429
	CodePairRateLimitHit  = 131056
	CodeTemplateParams    = 132000
	CodeTemplateMissing   = 132001
	CodeMediaUploadError  = 131053
	CodeAccessTokenFailed = 190
)

// apiError is code's answer from the table; details, when set, replaces the
// table's.
func apiError(code int, details string) *graphError {
	info, ok := codes[code]
	if !ok {
		info = codeInfo{status: http.StatusBadRequest, title: "Error"}
	}
	if details == "" {
		details = info.details
	}
	return &graphError{
		status:  info.status,
		code:    code,
		subcode: info.subcode,
		typ:     "OAuthException",
		message: fmt.Sprintf("(#%d) %s", code, info.title),
		details: details,
	}
}

func invalidParameter(format string, args ...any) *graphError {
	return apiError(CodeInvalidParameter, fmt.Sprintf(format, args...))
}

func parameterInvalid(format string, args ...any) *graphError {
	return apiError(CodeParameterInvalid, fmt.Sprintf(format, args...))
}

// errInvalidToken is the Graph API's answer to a missing, wrong or expired token.
func errInvalidToken() *graphError {
	return &graphError{status: http.StatusUnauthorized, code: CodeAccessTokenFailed, typ: "OAuthException",
		message: "Invalid OAuth access token - Cannot parse access token"}
}

// errUnsupportedRequest is the Graph API's answer for an object id it does not know
// (another phone number id) or a method the edge does not take.
func errUnsupportedRequest(method, id string) *graphError {
	return &graphError{status: http.StatusBadRequest, code: CodeInvalidParameter, subcode: 33, typ: "GraphMethodException",
		message: fmt.Sprintf("Unsupported %s request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
			strings.ToLower(method), id)}
}

func errUnknownPath(path string) *graphError {
	return &graphError{status: http.StatusBadRequest, code: 2500, typ: "OAuthException",
		message: "Unknown path components: " + path}
}

// wireError is the Graph API error envelope.
type wireError struct {
	Error wireErrorBody `json:"error"`
}

type wireErrorBody struct {
	Message      string         `json:"message"`
	Type         string         `json:"type"`
	Code         int            `json:"code"`
	ErrorData    *wireErrorData `json:"error_data,omitempty"`
	ErrorSubcode int            `json:"error_subcode,omitempty"`
	FBTraceID    string         `json:"fbtrace_id"`
}

type wireErrorData struct {
	MessagingProduct string `json:"messaging_product"`
	Details          string `json:"details"`
}

func (s *Server) wire(e *graphError) wireError {
	s.mu.Lock()
	trace := fmt.Sprintf("AwhatsapptestTrace%06d", s.nextLocked())
	s.mu.Unlock()
	body := wireErrorBody{Message: e.message, Type: e.typ, Code: e.code, ErrorSubcode: e.subcode, FBTraceID: trace}
	if e.details != "" {
		body.ErrorData = &wireErrorData{MessagingProduct: "whatsapp", Details: e.details}
	}
	return wireError{Error: body}
}

package whatsapp

import "testing"

func TestNumberLang(t *testing.T) {
	for id, want := range map[string]string{
		"31612345678": "", "48601234567": "pl", "380671234567": "uk", "905321234567": "tr",
		"963944123456": "ar", "212612345678": "ar", "447700900123": "en", "12025550123": "en", "4915112345678": "",
		"": "",
	} {
		if got := numberLang(id); got != want {
			t.Errorf("numberLang(%q) = %q, want %q", id, got, want)
		}
	}
}

package idpmetadata

import "testing"

func TestFingerprintString(t *testing.T) {
	var f Fingerprint
	for i := range f {
		f[i] = byte(i * 9)
	}
	want := "00:09:12:1B:24:2D:36:3F:48:51:5A:63:6C:75:7E:87:90:99:A2:AB:B4:BD:C6:CF:D8:E1:EA:F3:FC:05:0E:17"
	if f.String() != want {
		t.Errorf("String() = %s, want %s", f, want)
	}
}

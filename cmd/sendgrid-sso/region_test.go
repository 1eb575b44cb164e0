package main

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/sendgrid-sso/sendgrid-sso/internal/cli"
	"github.com/sendgrid-sso/sendgrid-sso/internal/clitest"
)

// connectRecorder is an HTTPS proxy on loopback that records which host each CONNECT
// asks for and refuses it: the region's API host is seen without leaving loopback.
type connectRecorder struct {
	*httptest.Server
	mu    sync.Mutex
	hosts []string
}

func newConnectRecorder(t *testing.T) *connectRecorder {
	p := &connectRecorder{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.hosts = append(p.hosts, r.Method+" "+r.Host)
		p.mu.Unlock()
		http.Error(w, "recorded, not forwarded", http.StatusBadGateway)
	}))
	t.Cleanup(p.Close)
	return p
}

// take returns the recorded requests and forgets them.
func (p *connectRecorder) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	h := p.hosts
	p.hosts = nil
	return h
}

// TestRegionSelectsTheAPIHost: --region, else SENDGRID_REGION, else global. The
// request goes out through a recording proxy that refuses it (so exit 3): the
// binary, since net/http reads HTTPS_PROXY from the process's environment once.
func TestRegionSelectsTheAPIHost(t *testing.T) {
	t.Parallel()
	proxy := newConnectRecorder(t)
	const global, eu = "CONNECT api.sendgrid.com:443", "CONNECT api.eu.sendgrid.com:443"
	cases := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"default", nil, nil, global},
		{"flag eu", nil, []string{"--region", "eu"}, eu},
		{"flag EU, any case", nil, []string{"--region=EU"}, eu},
		{"env eu", []string{"SENDGRID_REGION=eu"}, nil, eu},
		{"flag global over env eu", []string{"SENDGRID_REGION=eu"}, []string{"--region", "global"}, global},
		{"env global", []string{"SENDGRID_REGION=global"}, nil, global},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := clitest.KeyEnv(clitest.TestKey, append([]string{"HTTPS_PROXY=" + proxy.URL}, tc.env...)...)
			r := sso(t, env, append(tc.args, "login", "acct")...)
			r.WantExit(t, cli.ExitNetwork)
			got := proxy.take()
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("requests through the proxy: %q, want [%q]", got, tc.want)
			}
		})
	}
}

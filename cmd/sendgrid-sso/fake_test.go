package main

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// startFake runs "sendgrid-sso fake" with args and reads its announcement up to the
// account line. It returns the running command, the labelled values it printed, and
// the rest of its stdout.
func startFake(t *testing.T, args ...string) (*exec.Cmd, map[string]string, *bufio.Scanner, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"fake"}, args...)...)
	cmd.Env = []string{}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	sc := bufio.NewScanner(stdout)
	got := map[string]string{}
	for sc.Scan() {
		label, value, ok := strings.Cut(sc.Text(), "  ")
		if ok {
			got[label] = strings.TrimSpace(value)
		}
		if label == "account" {
			return cmd, got, sc, &stderr
		}
	}
	_ = cmd.Wait()
	t.Fatalf("fake ended before announcing itself; stderr:\n%s", stderr.String())
	return nil, nil, nil, nil
}

func TestFakeServesUntilInterrupted(t *testing.T) {
	cmd, got, rest, stderr := startFake(t, "--addr", "127.0.0.1:0")
	url, key := got["URL"], got["API key"]
	if !strings.HasPrefix(url, "http://127.0.0.1:") || strings.HasSuffix(url, ":0") {
		t.Fatalf("URL = %q, want http://127.0.0.1 and the port it listens on", url)
	}
	if key == "" || got["certificate"] == "" {
		t.Fatalf("fake did not print its key and a certificate ID: %q", got)
	}
	env := []string{"SENDGRID_API_KEY=" + key}
	sso(t, env, "--base-url", url, "cert", got["certificate"]).wantExit(t, exitOK)
	login := sso(t, env, "--base-url", url, "login", got["account"])
	login.wantExit(t, exitOK)
	if !strings.HasPrefix(login.stdout, url+"/") {
		t.Errorf("login URL %q is not on the fake", login.stdout)
	}

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	// A guard against hanging the suite, not a speed check: a fake that ignores
	// Ctrl-C is killed and the test fails.
	guard := time.AfterFunc(30*time.Second, func() { _ = cmd.Process.Kill() })
	var tail bytes.Buffer
	for rest.Scan() {
		tail.WriteString(rest.Text() + "\n")
	}
	err := cmd.Wait()
	if !guard.Stop() {
		t.Fatalf("the fake did not stop on Ctrl-C (killed after 30 s); stderr:\n%s", stderr)
	}
	if err != nil {
		t.Fatalf("fake after Ctrl-C: %v, want exit 0; stderr:\n%s", err, stderr)
	}
	if !strings.Contains(tail.String(), "sendgrid-sso --base-url "+url+" cert ") {
		t.Errorf("the announcement lacks a ready-to-run cert command:\n%s", tail.String())
	}
	if want := "fake stopped after 2 API requests; login URLs opened: 0"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if c, err := net.Dial("tcp", strings.TrimPrefix(url, "http://")); err == nil {
		c.Close()
		t.Errorf("the fake still listens after it stopped")
	}
}

func TestFakeRefusesBadAddresses(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for addr, want := range map[string]string{
		busy.Addr().String(): "cannot listen on " + busy.Addr().String(),
		"0.0.0.0:0":          "not a loopback address",
		"192.0.2.1:8025":     "not a loopback address",
		"8025":               "give host:port",
	} {
		r := sso(t, nil, "fake", "--addr", addr)
		r.wantExit(t, exitUsage)
		r.wantStderr(t, want)
	}
}

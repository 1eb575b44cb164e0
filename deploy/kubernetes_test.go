package deploy

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The parts of the Kubernetes objects in kubernetes/ that the wiring test reads
// (kubectl is not at hand; these are the API's field names).
type (
	k8sMeta struct {
		Name        string            `json:"name"`
		Labels      map[string]string `json:"labels"`
		Annotations map[string]string `json:"annotations"`
	}
	k8sSecurity struct {
		RunAsNonRoot             *bool `json:"runAsNonRoot"`
		RunAsUser                *int  `json:"runAsUser"`
		FSGroup                  *int  `json:"fsGroup"`
		AllowPrivilegeEscalation *bool `json:"allowPrivilegeEscalation"`
		ReadOnlyRootFilesystem   *bool `json:"readOnlyRootFilesystem"`
		Capabilities             struct {
			Drop []string `json:"drop"`
		} `json:"capabilities"`
	}
	k8sProbe struct {
		HTTPGet *struct {
			Path string `json:"path"`
			Port any    `json:"port"` // a number or a port name
		} `json:"httpGet"`
	}
	k8sContainer struct {
		Name    string   `json:"name"`
		Image   string   `json:"image"`
		Command []string `json:"command"`
		Args    []string `json:"args"`
		Env     []struct {
			Name      string         `json:"name"`
			Value     string         `json:"value"`
			ValueFrom map[string]any `json:"valueFrom"`
		} `json:"env"`
		EnvFrom []map[string]any `json:"envFrom"`
		Ports   []struct {
			Name          string `json:"name"`
			ContainerPort int    `json:"containerPort"`
		} `json:"ports"`
		LivenessProbe  *k8sProbe `json:"livenessProbe"`
		ReadinessProbe *k8sProbe `json:"readinessProbe"`
		Resources      struct {
			Requests map[string]string `json:"requests"`
			Limits   map[string]string `json:"limits"`
		} `json:"resources"`
		SecurityContext k8sSecurity `json:"securityContext"`
		VolumeMounts    []struct {
			Name      string `json:"name"`
			MountPath string `json:"mountPath"`
			SubPath   string `json:"subPath"`
			ReadOnly  bool   `json:"readOnly"`
		} `json:"volumeMounts"`
	}
	k8sDeployment struct {
		Kind string `json:"kind"`
		Spec struct {
			Selector struct {
				MatchLabels map[string]string `json:"matchLabels"`
			} `json:"selector"`
			Template struct {
				Metadata k8sMeta `json:"metadata"`
				Spec     struct {
					SecurityContext k8sSecurity    `json:"securityContext"`
					Containers      []k8sContainer `json:"containers"`
					Volumes         []struct {
						Name   string `json:"name"`
						Secret *struct {
							SecretName  string `json:"secretName"`
							DefaultMode *int   `json:"defaultMode"`
							Items       []struct {
								Key  string `json:"key"`
								Path string `json:"path"`
							} `json:"items"`
						} `json:"secret"`
					} `json:"volumes"`
				} `json:"spec"`
			} `json:"template"`
		} `json:"spec"`
	}
	k8sService struct {
		Kind     string  `json:"kind"`
		Metadata k8sMeta `json:"metadata"`
		Spec     struct {
			Selector map[string]string `json:"selector"`
			Ports    []struct {
				Name       string `json:"name"`
				Port       int    `json:"port"`
				TargetPort any    `json:"targetPort"`
			} `json:"ports"`
		} `json:"spec"`
	}
	k8sSecret struct {
		Kind       string            `json:"kind"`
		Metadata   k8sMeta           `json:"metadata"`
		Data       map[string]string `json:"data"`
		StringData map[string]string `json:"stringData"`
	}
)

// flagValue returns the value of --name=value among args, and whether it is there.
func flagValue(args []string, name string) (string, bool) {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// TestKubernetesWiring reads deployment.yaml, service.yaml and secret.yaml and checks
// that they fit: the Secret's key is mounted, read-only, as the very file that
// --api-key-file names, readable by the pod's user alone; no environment variable
// carries a key; the exporter listens on all interfaces at exporterPort, and the
// container port, the probes (/-/healthy, /-/ready), the Service and the scrape
// annotations all name that port; the container runs hardened, with resources.
func TestKubernetesWiring(t *testing.T) {
	var dep k8sDeployment
	var svc k8sService
	var sec k8sSecret
	readYAML(t, "kubernetes/deployment.yaml", &dep)
	readYAML(t, "kubernetes/service.yaml", &svc)
	readYAML(t, "kubernetes/secret.yaml", &sec)
	if dep.Kind != "Deployment" || svc.Kind != "Service" || sec.Kind != "Secret" {
		t.Fatalf("kinds %q, %q, %q; want Deployment, Service, Secret", dep.Kind, svc.Kind, sec.Kind)
	}
	pod := dep.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	port := strconv.Itoa(exporterPort)

	// The key: a file from the Secret, at the path the flag names.
	keyFile, ok := flagValue(c.Args, "api-key-file")
	if !ok {
		t.Fatalf("args %q lack --api-key-file=", c.Args)
	}
	mounted := false
	for _, m := range c.VolumeMounts {
		if m.SubPath != "" || path.Dir(keyFile) != path.Clean(m.MountPath) {
			continue
		}
		if !m.ReadOnly {
			t.Errorf("the key's volume %s is mounted read-write", m.Name)
		}
		for _, v := range pod.Volumes {
			if v.Name != m.Name || v.Secret == nil {
				continue
			}
			if v.Secret.SecretName != sec.Metadata.Name {
				t.Errorf("volume %s holds Secret %q, secret.yaml is %q", v.Name, v.Secret.SecretName, sec.Metadata.Name)
			}
			for _, it := range v.Secret.Items {
				if it.Path != path.Base(keyFile) {
					continue
				}
				mounted = true
				if _, ok := sec.StringData[it.Key]; !ok {
					if _, ok := sec.Data[it.Key]; !ok {
						t.Errorf("the Secret has no key %q, which the volume mounts as %s", it.Key, keyFile)
					}
				}
			}
			// Readable by the pod's group (fsGroup), never by others.
			if m := v.Secret.DefaultMode; m == nil || *m&^0o440 != 0 || *m&0o040 == 0 {
				t.Errorf("the key's defaultMode is %#o; want 0440: read by owner and group (fsGroup), nothing for others", derefOr(m, -1))
			}
			if pod.SecurityContext.FSGroup == nil {
				t.Error("no fsGroup: the non-root user cannot read the key file of a group-readable Secret")
			}
		}
	}
	if !mounted {
		t.Errorf("no Secret volume puts a file at %s, which --api-key-file names", keyFile)
	}
	if len(c.EnvFrom) > 0 {
		t.Errorf("envFrom %v: the key belongs in a file, not in the environment", c.EnvFrom)
	}
	for _, e := range c.Env {
		if e.ValueFrom != nil || strings.Contains(strings.ToUpper(e.Name), "KEY") {
			t.Errorf("env %s: the key belongs in a file, not in the environment", e.Name)
		}
	}
	for _, a := range append(c.Command, c.Args...) {
		if strings.HasPrefix(a, "SG.") || strings.Contains(a, "--api-key=") {
			t.Errorf("argument %q carries a key", a)
		}
	}

	// The port, everywhere the same.
	if listen, _ := flagValue(c.Args, "listen"); listen != "0.0.0.0:"+port {
		t.Errorf("--listen=%q, want 0.0.0.0:%s: a pod is reached from outside, and on the exporter's port", listen, port)
	}
	portName := ""
	for _, p := range c.Ports {
		if p.ContainerPort == exporterPort {
			portName = p.Name
		}
	}
	if portName == "" {
		t.Fatalf("no containerPort %d in %+v", exporterPort, c.Ports)
	}
	// isPort reports whether a probe's or a Service's port names the exporter's.
	isPort := func(p any) bool {
		switch p := p.(type) {
		case string:
			return p == portName || p == port
		case float64:
			return p == exporterPort
		}
		return false
	}
	for _, p := range []struct {
		name  string
		probe *k8sProbe
		path  string
	}{{"livenessProbe", c.LivenessProbe, "/-/healthy"}, {"readinessProbe", c.ReadinessProbe, "/-/ready"}} {
		if p.probe == nil || p.probe.HTTPGet == nil {
			t.Errorf("no %s.httpGet", p.name)
			continue
		}
		if g := p.probe.HTTPGet; g.Path != p.path || !isPort(g.Port) {
			t.Errorf("%s gets %s on port %v, want %s on %s (%d)", p.name, g.Path, g.Port, p.path, portName, exporterPort)
		}
	}
	if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].Port != exporterPort || !isPort(svc.Spec.Ports[0].TargetPort) {
		t.Errorf("Service ports %+v, want port %d to the container's %s", svc.Spec.Ports, exporterPort, portName)
	}
	labels := dep.Spec.Template.Metadata.Labels
	for k, v := range svc.Spec.Selector {
		if labels[k] != v {
			t.Errorf("the Service selects %s=%s, which the pod's labels %v lack", k, v, labels)
		}
	}
	for k, v := range dep.Spec.Selector.MatchLabels {
		if labels[k] != v {
			t.Errorf("the Deployment selects %s=%s, which the pod's labels %v lack", k, v, labels)
		}
	}
	ann := dep.Spec.Template.Metadata.Annotations
	if ann["prometheus.io/scrape"] != "true" || ann["prometheus.io/port"] != port || ann["prometheus.io/path"] != "/metrics" {
		t.Errorf("scrape annotations %v, want prometheus.io/scrape true, port %s, path /metrics", ann, port)
	}

	// Hardened, with resources.
	nonRoot := func(s k8sSecurity) bool { return s.RunAsNonRoot != nil && *s.RunAsNonRoot }
	if !nonRoot(c.SecurityContext) && !nonRoot(pod.SecurityContext) {
		t.Error("runAsNonRoot is not set")
	}
	if s := c.SecurityContext; s.ReadOnlyRootFilesystem == nil || !*s.ReadOnlyRootFilesystem ||
		s.AllowPrivilegeEscalation == nil || *s.AllowPrivilegeEscalation || !slices.Contains(s.Capabilities.Drop, "ALL") {
		t.Errorf("container securityContext %+v; want readOnlyRootFilesystem, no privilege escalation, capabilities drop ALL", s)
	}
	if c.Resources.Requests["cpu"] == "" || c.Resources.Requests["memory"] == "" || c.Resources.Limits["memory"] == "" {
		t.Errorf("resources %+v; want cpu and memory requests and a memory limit", c.Resources)
	}
}

// derefOr is *p, or def when p is nil.
func derefOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

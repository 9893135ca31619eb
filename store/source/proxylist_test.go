package source

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseProxyList(t *testing.T) {
	tests := []struct {
		in      string
		want    []Proxy
		wantErr string
	}{
		{"https://proxy.golang.org,direct", []Proxy{{"https://proxy.golang.org", false}, {"direct", false}}, ""},
		{"https://a.example|https://b.example,off", []Proxy{{"https://a.example", true}, {"https://b.example", false}, {"off", false}}, ""},
		{"goproxy.cn", []Proxy{{"https://goproxy.cn", false}}, ""},
		{"goproxy.cn/sub/", []Proxy{{"https://goproxy.cn/sub/", false}}, ""},
		{"http://127.0.0.1:3000", []Proxy{{"http://127.0.0.1:3000", false}}, ""},
		{"localhost:3000", []Proxy{{"https://localhost:3000", false}}, ""},
		{" direct , https://ignored.example", []Proxy{{"direct", false}}, ""},
		{"off", []Proxy{{"off", false}}, ""},
		{"file:///srv/goproxy", []Proxy{{"file:///srv/goproxy", false}}, ""},
		{",https://a.example,", []Proxy{{"https://a.example", false}}, ""},
		{"https://a.example|", []Proxy{{"https://a.example", true}}, ""},
		{",", nil, "contains no entries"},
		{" ", nil, "contains no entries"},
		{"ftp://x.example", nil, "must be https, http, file"},
		{"https://", nil, "missing host"},
		{"noscheme", nil, "missing scheme"},
		{"https://a b.example/%zz", nil, "invalid proxy URL"},
	}
	for _, tt := range tests {
		got, err := ParseProxyList(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseProxyList(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseProxyList(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestToolchainProxies(t *testing.T) {
	tests := []struct {
		in        string
		want      []string
		notes     int
		wantErr   error
		errSubstr string
	}{
		{"https://proxy.golang.org,direct", []string{"https://proxy.golang.org"}, 0, nil, ""},
		{"https://a.example|https://b.example", []string{"https://a.example", "https://b.example"}, 0, nil, ""},
		{"https://a.example,off", []string{"https://a.example"}, 0, nil, ""},
		{"off", nil, 0, ErrProxyOff, ""},
		{"direct", nil, 1, nil, "no proxy"},
	}
	for _, tt := range tests {
		list, err := ParseProxyList(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		got, notes, err := ToolchainProxies(list)
		if tt.wantErr != nil || tt.errSubstr != "" {
			if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) || !strings.Contains(err.Error(), tt.errSubstr) {
				t.Errorf("ToolchainProxies(%q) error = %v", tt.in, err)
			}
			continue
		}
		var urls []string
		for _, p := range got {
			urls = append(urls, p.URL)
		}
		if err != nil || !reflect.DeepEqual(urls, tt.want) || len(notes) != tt.notes {
			t.Errorf("ToolchainProxies(%q) = %v, %v, %v; want %v with %d notes", tt.in, urls, notes, err, tt.want, tt.notes)
		}
	}
}

func FuzzParseProxyList(f *testing.F) {
	for _, s := range []string{"https://proxy.golang.org,direct", "a|b,c", "off", "file:///x", ",|,", "goproxy.cn"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		list, err := ParseProxyList(s)
		if err != nil {
			return
		}
		if len(list) == 0 {
			t.Fatal("no error and no entries")
		}
		for i, p := range list {
			if (p.Direct() || p.Off()) && i != len(list)-1 {
				t.Fatalf("%q: %s is not last", s, p.URL)
			}
			if !p.Direct() && !p.Off() && !strings.Contains(p.URL, ":/") {
				t.Fatalf("%q: entry %q is not a URL", s, p.URL)
			}
			if strings.ContainsAny(p.URL, ",|") {
				t.Fatalf("%q: entry %q holds a separator", s, p.URL)
			}
		}
	})
}

package main

import (
	"net"
	"net/http"
	"time"
)

// newHTTPClient is the one HTTP client every command shares: proxies from
// the environment (HTTPS_PROXY, NO_PROXY), and timeouts on each step of a
// connection. There is no overall timeout: a large download that keeps
// moving may take as long as it takes, and the downloader's stall
// detection ends one that stops.
func newHTTPClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy: http.ProxyFromEnvironment,
			DialContext: (&net.Dialer{
				Timeout:   30 * time.Second,
				KeepAlive: 30 * time.Second,
			}).DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          16,
			MaxIdleConnsPerHost:   4,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   15 * time.Second,
			ResponseHeaderTimeout: 60 * time.Second,
			ExpectContinueTimeout: time.Second,
		},
	}
}

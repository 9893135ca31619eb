package download

import (
	"fmt"
	"io"
	"path"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress reports one transfer: a bar on a terminal, otherwise a line when
// it starts, one every few seconds while it runs, one per retry and one
// when it is done. A nil *progress (no Progress writer) does nothing.
type progress struct {
	w        io.Writer
	terminal bool
	url      string
	began    time.Time
	started  bool
	bar      *progressbar.ProgressBar

	every time.Duration // between plain lines
	last  time.Time     // of the last plain line
	total int64         // -1 when unknown
}

func (d *Downloader) newProgress(url string) *progress {
	if d.Progress == nil {
		return nil
	}
	every := d.ProgressEvery
	if every <= 0 {
		every = DefaultProgressEvery
	}
	now := time.Now()
	return &progress{w: d.Progress, terminal: d.Terminal, url: url, began: now, every: every, last: now, total: -1}
}

// start is called for every response; total is -1 when unknown, offset is
// where this response's bytes begin.
func (p *progress) start(total, offset int64) {
	if p == nil {
		return
	}
	if !p.started {
		p.started = true
		if total >= 0 {
			fmt.Fprintf(p.w, "downloading %s (%s)\n", p.url, formatSize(total))
		} else {
			fmt.Fprintf(p.w, "downloading %s\n", p.url)
		}
	}
	if total >= 0 {
		p.total = total
	}
	if !p.terminal {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionShowBytes(true),
			progressbar.OptionShowTotalBytes(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionShowCount(),
			progressbar.OptionSpinnerType(14),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetRenderBlankState(true),
		)
	} else if total >= 0 {
		p.bar.ChangeMax64(total)
	}
	p.bar.Set64(offset)
}

func (p *progress) add(offset int64) {
	if p == nil {
		return
	}
	if p.bar != nil {
		p.bar.Set64(offset)
		return
	}
	if p.terminal {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	rate := ""
	if s := now.Sub(p.began).Seconds(); s > 0 {
		rate = fmt.Sprintf(", %s/s", formatSize(int64(float64(offset)/s)))
	}
	if p.total > 0 {
		fmt.Fprintf(p.w, "downloading %s: %s of %s (%d%%%s)\n", path.Base(p.url), formatSize(offset), formatSize(p.total), offset*100/p.total, rate)
	} else {
		fmt.Fprintf(p.w, "downloading %s: %s%s\n", path.Base(p.url), formatSize(offset), rate)
	}
}

func (p *progress) retry(err error, wait time.Duration) {
	if p == nil {
		return
	}
	if p.bar != nil {
		p.bar.Clear()
	}
	fmt.Fprintf(p.w, "retrying %s in %s: %v\n", p.url, wait.Round(time.Millisecond), err)
}

func (p *progress) done(size int64) {
	if p == nil {
		return
	}
	if p.bar != nil {
		p.bar.Finish()
	}
	elapsed := time.Since(p.began)
	rate := ""
	if s := elapsed.Seconds(); s > 0 {
		rate = fmt.Sprintf(", %s/s", formatSize(int64(float64(size)/s)))
	}
	fmt.Fprintf(p.w, "downloaded in %s (%s%s)\n", elapsed.Round(100*time.Millisecond), formatSize(size), rate)
}

func (p *progress) abort() {
	if p == nil || p.bar == nil {
		return
	}
	p.bar.Exit()
	fmt.Fprintln(p.w)
}

// formatSize prints n bytes in decimal units, as download pages do:
// "67.5 MB".
func formatSize(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}

package shim

import (
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

const exeSuffix = ".exe"

// Windows environment names are case-insensitive (Path, GoRoot).
func envKey(k, want string) bool { return strings.EqualFold(k, want) }

// run starts the target and waits for it: Windows has no exec. The child
// shares the console and std handles; the shim ignores Ctrl+C and console
// close (the child gets them too and decides), sits in a job object that
// kills the child if the shim is killed, and returns the child's full
// 32-bit exit code (NTSTATUS values like 0xC000013A included).
func run(path string, args, env []string) (int, error) {
	cmd := exec.Command(path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = env
	// exec.Command would quote argv[0] from path; keep Args as given so
	// every argument, empty ones included, is quoted by
	// syscall.EscapeArg exactly once.
	cmd.Args = append([]string{path}, args...)

	signal.Notify(make(chan os.Signal, 1), os.Interrupt, syscall.SIGTERM)

	job, jerr := killOnCloseJob()
	if err := cmd.Start(); err != nil {
		return 1, err
	}
	// The child runs for a moment before it joins the job; cmd/go spawns
	// nothing that early, and Go's StartProcess offers no suspended start
	// whose main thread we could resume.
	if jerr == nil {
		if h, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(cmd.Process.Pid)); err == nil {
			windows.AssignProcessToJobObject(job, h)
			windows.CloseHandle(h)
		}
	}
	err := cmd.Wait()
	if jerr == nil {
		// go may leave helpers running on purpose (a build cache
		// trimmer, a telemetry upload); a normal exit must not kill them
		// when the job handle closes with the shim.
		setJobLimits(job, 0)
	}
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return int(ee.ProcessState.Sys().(syscall.WaitStatus).ExitStatus()), nil
		}
		return 1, err
	}
	return 0, nil
}

func killOnCloseJob() (windows.Handle, error) {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return 0, err
	}
	if err := setJobLimits(job, windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE); err != nil {
		windows.CloseHandle(job)
		return 0, err
	}
	return job, nil
}

func setJobLimits(job windows.Handle, flags uint32) error {
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	info.BasicLimitInformation.LimitFlags = flags
	_, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation, uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)))
	return err
}

// openFile is os.Open; Windows has no poller set-up to avoid.
func openFile(name string) (io.ReadCloser, error) { return os.Open(name) }

// samePathName compares two cleaned paths as the file system does:
// without regard to case.
func samePathName(a, b string) bool { return strings.EqualFold(a, b) }

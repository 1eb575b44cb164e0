//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package cli

import (
	"os"
	"syscall"
	"unsafe"
)

// isTTY reports whether f is a terminal, as isatty(3) does: whether it answers the
// ioctl that reads a terminal's settings.
func isTTY(f *os.File) bool {
	conn, err := f.SyscallConn()
	if err != nil {
		return false
	}
	var termios syscall.Termios
	var errno syscall.Errno
	if err := conn.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, ioctlGetTermios, uintptr(unsafe.Pointer(&termios)))
	}); err != nil {
		return false
	}
	return errno == 0
}

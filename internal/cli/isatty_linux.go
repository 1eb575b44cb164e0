package cli

import "syscall"

// ioctlGetTermios is the ioctl that reads a terminal's settings (tcgetattr).
const ioctlGetTermios = syscall.TCGETS

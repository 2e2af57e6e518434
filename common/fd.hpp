// File descriptor helpers for the code that spawns processes and pipes.
#pragma once

#include <unistd.h>

namespace o2hub {

/// Closes `fd` if open and marks it closed (-1).
inline void close_fd(int& fd) {
  if (fd >= 0) {
    ::close(fd);
    fd = -1;
  }
}

} // namespace o2hub

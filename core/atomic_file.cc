#include "core/atomic_file.h"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

namespace modforge {

namespace {
mode_t default_mode() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

void write_all(int fd, std::string_view bytes, const std::string& name) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(errno_message(name, errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}
}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  if (path_.empty()) throw Error(errno_message(path_, ENOENT));  // as fopen("", "w")
  struct stat st;
  bool exists = ::stat(path_.c_str(), &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd_ < 0) throw Error(errno_message(path_, errno));
    return;
  }
  tmp_ = path_ + ".tmpXXXXXX";
  fd_ = ::mkostemp(tmp_.data(), O_CLOEXEC);
  if (fd_ < 0) {
    int err = errno;
    tmp_.clear();
    throw Error(errno_message(path_, err));
  }
  ::fchmod(fd_, exists ? (st.st_mode & 07777) : default_mode());
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !tmp_.empty()) ::unlink(tmp_.c_str());
}

void AtomicFile::commit() {
  write_all(fd_, data_, path_);
  int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0) throw Error(errno_message(path_, errno));
  if (!tmp_.empty() && ::rename(tmp_.c_str(), path_.c_str()) != 0)
    throw Error(errno_message(path_, errno));
  committed_ = true;
}

void write_file_atomic(const std::string& path, std::string_view bytes) {
  AtomicFile f(path);
  f.append(bytes);
  f.commit();
}

}  // namespace modforge

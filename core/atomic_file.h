// Output that never leaves a half-written file: the bytes go to a temporary file beside the
// target, which is renamed over it on commit().  Special files (/dev/null, FIFOs, ttys) are
// written in place, since renaming over them would replace the device node.
#pragma once
#include <string>
#include <string_view>

namespace modforge {

class AtomicFile {
public:
  // Checks at once that the target can be written (as fopen(path, "w") would), so the
  // caller can report the failure where the real tools do.  Throws Error("path: strerror").
  explicit AtomicFile(std::string path);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();  // an uncommitted temporary is removed

  void append(std::string_view bytes) { data_.append(bytes); }
  std::string& buffer() { return data_; }
  void commit();  // throws Error on a failed write or rename
  const std::string& path() const { return path_; }

private:
  void open_temp();  // a fresh name beside path_ (O_EXCL), as tmp_ and fd_
  std::string path_;
  std::string tmp_;  // empty when writing in place
  bool unnamed_ = false;  // an O_TMPFILE, linked to path_ on commit
  int fd_ = -1;
  bool committed_ = false;
  std::string data_;
};

// Writes `bytes` to `path` atomically.  Throws Error.
void write_file_atomic(const std::string& path, std::string_view bytes);

// write_file_atomic(), unless `path` holds `bytes` already: then the file (and its mtime,
// which make and ninja read) is left alone.  Returns whether it wrote.
bool write_file_if_changed(const std::string& path, std::string_view bytes);

}  // namespace modforge

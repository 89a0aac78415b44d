// Whole-file input: mmapped when the source is a regular file, read into memory otherwise
// (pipes, terminals).  The bytes stay valid for the lifetime of the object.
#pragma once
#include <string>
#include <string_view>

namespace modforge {

class Input {
public:
  Input() = default;
  Input(const Input&) = delete;
  Input& operator=(const Input&) = delete;
  Input(Input&& o) noexcept;
  Input& operator=(Input&& o) noexcept;
  ~Input();

  // Throws Error("<name>: <strerror>") on failure.
  static Input from_fd(int fd, const std::string& name);
  static Input from_path(const std::string& path);

  std::string_view bytes() const { return view_; }

private:
  void release();
  std::string_view view_;
  void* map_ = nullptr;
  std::size_t map_len_ = 0;
  std::string owned_;
};

}  // namespace modforge

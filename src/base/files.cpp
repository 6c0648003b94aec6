#include "base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef _WIN32
#include <process.h>
#endif

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/diagnostic.h"

namespace fs = std::filesystem;

namespace rollout_pace {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw failure(exit_code::bad_input, path + ": " + what);
}

bool is_yaml_name(const fs::path& p) {
  std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml";
}

}  // namespace

std::vector<input_file> yaml_files(const std::vector<std::string>& paths, std::vector<std::string>* chart_templates) {
  std::vector<input_file> out;
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st))
      fail(path, "cannot read it: " + (ec ? ec.message() : std::string("No such file or directory")));
    if (!fs::is_directory(st)) {
      out.push_back({path, false});
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(path, fs::directory_options::none, ec), end;
    if (ec) fail(path, "cannot read the folder: " + ec.message());
    for (; it != end; it.increment(ec)) {
      if (ec) fail(path, "cannot read the folder: " + ec.message());
      const fs::path& p = it->path();
      bool hidden = p.filename().string().rfind('.', 0) == 0;
      if (it->is_directory(ec)) {
        bool templates = p.filename() == "templates" && fs::exists(p.parent_path() / "Chart.yaml", ec);
        if (hidden || templates) it.disable_recursion_pending();
        if (templates && !hidden && chart_templates) chart_templates->push_back(p.string());
        continue;
      }
      if (!hidden && is_yaml_name(p) && it->is_regular_file(ec)) found.push_back(p.string());
    }
    std::sort(found.begin(), found.end());
    const fs::path root = fs::canonical(path, ec);
    for (auto& f : found) {
      fs::path real = fs::canonical(f, ec);
      auto [r, _] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
      out.push_back({std::move(f), true, ec || r != root.end()});
    }
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) fail(path, "cannot read it: Is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, std::string("cannot read it: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) fail(path, std::string("cannot read it: ") + std::strerror(errno));
  return text.str();
}

std::string write_target(const std::string& path) {
  std::error_code ec;
  fs::path target = fs::canonical(path, ec);  // follows every link, as a write through them would
  return ec ? path : target.string();
}

void replace_file(const std::string& path, const std::string& text) {
  std::string target = write_target(path);
  struct stat st;
  if (::stat(target.c_str(), &st) != 0) fail(path, std::string("cannot write it: ") + std::strerror(errno));
  if ((st.st_mode & 0222) == 0)
    fail(path, "is read-only; rollout-pace leaves it as it is (make it writable to let it edit)");
#ifdef _WIN32
  // No mkstemp, fchmod or fsync: a fresh name beside it, then libstdc++'s rename (MoveFileExW with
  // MOVEFILE_REPLACE_EXISTING).
  std::error_code ec;
  fs::path tmp_path = fs::path(target).parent_path() /
                      ("." + fs::path(target).filename().string() + ".rollout-pace-" + std::to_string(::_getpid()));
  {
    std::ofstream out(tmp_path, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      fs::remove(tmp_path, ec);
      fail(path, std::string("cannot write it: ") + std::strerror(errno));
    }
  }
  fs::rename(tmp_path, target, ec);
  if (ec) {
    fs::remove(tmp_path, ec);
    fail(path, "cannot replace it: " + ec.message());
  }
#else
  std::string dir = fs::path(target).parent_path().string();
  std::string tmp =
      (dir.empty() ? std::string(".") : dir) + "/." + fs::path(target).filename().string() + ".rollout-pace-XXXXXX";
  std::vector<char> name(tmp.begin(), tmp.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) fail(path, std::string("cannot write beside it: ") + std::strerror(errno));
  auto abandon = [&](const std::string& what) {
    int saved = errno;
    ::close(fd);
    ::unlink(name.data());
    fail(path, what + ": " + std::strerror(saved));
  };
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) abandon("cannot write it");
    done += static_cast<std::size_t>(n);
  }
  if (::fchmod(fd, st.st_mode & 07777) != 0) abandon("cannot keep its mode");
  if ((st.st_uid != ::geteuid() || st.st_gid != ::getegid()) && ::fchown(fd, st.st_uid, st.st_gid) != 0)
    abandon("cannot keep its owner");
  if (::fsync(fd) != 0) abandon("cannot write it");
  if (::close(fd) != 0) {
    ::unlink(name.data());
    fail(path, std::string("cannot write it: ") + std::strerror(errno));
  }
  if (::rename(name.data(), target.c_str()) != 0) {
    int saved = errno;
    ::unlink(name.data());
    fail(path, std::string("cannot replace it: ") + std::strerror(saved));
  }
#endif
}

}  // namespace rollout_pace

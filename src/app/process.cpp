#include "app/process.h"

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#define WIN32_LEAN_AND_MEAN
#define NOGDI
#include <windows.h>

#include <cstdlib>
#else
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>  // also environ (g++ defines _GNU_SOURCE)
#endif

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

#include "base/diagnostic.h"

namespace rollout_pace {

#ifdef _WIN32
// The Windows build paces streams, plans and writes Flux entries; what runs another program (a
// chart rendered by helm for flux, the Argo CD plugins' helm and kpt, which run on Linux sidecars)
// says so in one line.
process_output run_process(const std::vector<std::string>& argv, std::size_t, const std::string&) {
  throw failure(exit_code::bad_usage, argv[0] +
                                          ": cannot run it: the Windows build of rollout-pace runs no other program "
                                          "(flux's chart render, the argocd plugins); use the Linux build there");
}

environment current_environment() {
  environment env;
  for (char** e = _environ; e && *e; ++e) {
    std::string entry(*e);
    std::size_t eq = entry.find('=');
    if (eq != std::string::npos && eq > 0) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

std::string own_executable() {
  char path[MAX_PATH];
  DWORD n = GetModuleFileNameA(nullptr, path, MAX_PATH);
  if (n == 0 || n == MAX_PATH) throw failure(exit_code::bad_input, "cannot find the rollout-pace executable");
  return std::string(path, n);
}
#else
process_output run_process(const std::vector<std::string>& argv, std::size_t limit, const std::string& stderr_path) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0)
    throw failure(exit_code::bad_input, std::string("cannot make a pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  if (!stderr_path.empty())
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (spawned != 0) {
    close(pipe_fds[0]);
    throw failure(exit_code::bad_input, argv[0] + ": cannot run it (" + std::strerror(spawned) +
                                            (spawned == ENOENT ? ": not found in PATH)" : ")"));
  }
  process_output result;
  char buffer[1 << 16];
  bool too_much = false;
  for (;;) {
    ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (result.out.size() + static_cast<std::size_t>(n) > limit) {
      too_much = true;
      kill(pid, SIGKILL);
      break;
    }
    result.out.append(buffer, static_cast<std::size_t>(n));
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  if (too_much)
    throw failure(exit_code::bad_input, argv[0] + " wrote more than " + std::to_string(limit >> 20) + " MiB");
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

environment current_environment() {
  environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    std::size_t eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

std::string own_executable() {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw failure(exit_code::bad_input, "cannot find the rollout-pace executable: " + ec.message());
  return self.string();
}
#endif

}  // namespace rollout_pace

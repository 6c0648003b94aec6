// bench_measure RUNS INPUT COMMAND [ARG]...: runs COMMAND RUNS times with INPUT on stdin and stdout
// to /dev/null; prints "<median seconds> <min seconds> <max seconds> <peak RSS MiB> <exit code>".
// A benchmark helper, not a test: it reports, it does not judge.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

extern char** environ;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: bench_measure RUNS INPUT COMMAND [ARG]...\n");
    return 2;
  }
  int runs = std::atoi(argv[1]);
  std::vector<double> seconds;
  long peak_kb = 0;
  int code = 0;
  for (int r = 0; r < runs; ++r) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, argv[2], O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    auto start = std::chrono::steady_clock::now();
    pid_t pid;
    if (posix_spawnp(&pid, argv[3], &fa, nullptr, argv + 3, environ) != 0) return 3;
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    posix_spawn_file_actions_destroy(&fa);
    peak_kb = std::max(peak_kb, usage.ru_maxrss);
    code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("%.4f %.4f %.4f %.1f %d\n", seconds[seconds.size() / 2], seconds.front(), seconds.back(),
              peak_kb / 1024.0, code);
  return 0;
}

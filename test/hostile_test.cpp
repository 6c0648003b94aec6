#define BOOST_TEST_MODULE hostile
// Hostile input against the real binary: each gives one clear error line or correct output, with
// bounded memory (measured with wait4's ru_maxrss) and no hang (a generous guard kills it).
#include <boost/test/unit_test.hpp>

#include "test_files.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "yaml/stream.h"

namespace fs = std::filesystem;
using test_files::slurp;

namespace {

const char* binary = ROLLOUT_PACE_BINARY;

enum class out_mode { file, closed, broken_pipe };

// Peak RSS of a child counts the memory of the process that spawned it (Linux carries the parent's
// high-water mark over exec). So a spawner is forked first, while this test is still small, and
// starts every measured run: requests go in over one pipe, "exit-code max-rss-kb" comes back.
class spawner {
 public:
  spawner() {
    int req[2], rep[2];
    if (::pipe(req) != 0 || ::pipe(rep) != 0) std::abort();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(req[1]);
      ::close(rep[0]);
      serve(req[0], rep[1]);
      ::_exit(0);
    }
    ::close(req[0]);
    ::close(rep[1]);
    to_ = req[1];
    from_ = rep[0];
  }
  ~spawner() {
    ::close(to_);
    ::close(from_);
    ::waitpid(pid_, nullptr, 0);
  }

  // Returns exit code (or 128 + signal, or -1 when the guard killed it) and peak RSS in KiB.
  std::pair<int, long> run(const std::string& input, bool piped, out_mode mode, const fs::path& out,
                           const fs::path& err, const std::vector<std::string>& args) {
    std::string msg = input + "\n" + (piped ? "1" : "0") + "\n" + std::to_string(static_cast<int>(mode)) + "\n" +
                      out.string() + "\n" + err.string() + "\n" + std::to_string(args.size()) + "\n";
    for (const auto& a : args) msg += a + "\n";
    if (::write(to_, msg.data(), msg.size()) != static_cast<ssize_t>(msg.size())) std::abort();
    std::string reply;
    char c;
    while (::read(from_, &c, 1) == 1 && c != '\n') reply += c;
    std::istringstream in(reply);
    int code = -1;
    long rss = 0;
    in >> code >> rss;
    return {code, rss};
  }

 private:
  static std::string line(FILE* f) {
    std::string l;
    for (int c; (c = std::fgetc(f)) != EOF && c != '\n';) l += static_cast<char>(c);
    return l;
  }

  static void serve(int in_fd, int out_fd) {
    FILE* in = ::fdopen(in_fd, "r");
    std::signal(SIGPIPE, SIG_IGN);
    for (;;) {
      std::string input = line(in);
      if (std::feof(in)) return;
      bool piped = line(in) == "1";
      auto mode = static_cast<out_mode>(std::stoi(line(in)));
      std::string out = line(in), err = line(in);
      std::size_t n = std::stoul(line(in));
      std::vector<std::string> args{ROLLOUT_PACE_BINARY};
      for (std::size_t i = 0; i < n; ++i) args.push_back(line(in));
      int code = launch(input, piped, mode, out, err, args);
      std::string reply = std::to_string(code) + " " + std::to_string(last_rss_) + "\n";
      if (::write(out_fd, reply.data(), reply.size()) < 0) return;
    }
  }

  static inline long last_rss_ = 0;

  static int launch(const std::string& input, bool piped, out_mode mode, const std::string& out, const std::string& err,
                    std::vector<std::string> args) {
    int in_fd = input == "<directory>" ? ::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                                       : ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
    pid_t cat = -1;
    int pipe_fds[2] = {-1, -1};
    if (piped) {  // as Helm sends it: through a pipe, written by another process
      if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return -2;
      posix_spawn_file_actions_t fa;
      posix_spawn_file_actions_init(&fa);
      posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
      posix_spawn_file_actions_adddup2(&fa, pipe_fds[1], 1);
      posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);  // cat's "broken pipe" is expected
      char* cat_argv[] = {const_cast<char*>("cat"), nullptr};
      posix_spawnp(&cat, "cat", &fa, nullptr, cat_argv, environ);
      posix_spawn_file_actions_destroy(&fa);
      ::close(pipe_fds[1]);
      ::close(in_fd);
      in_fd = pipe_fds[0];
    }
    int broken[2] = {-1, -1};
    if (mode == out_mode::broken_pipe) {
      if (::pipe2(broken, O_CLOEXEC) != 0) return -2;
      ::close(broken[0]);  // the reader is gone before anything is written
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (mode == out_mode::file)
      posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (mode == out_mode::broken_pipe) posix_spawn_file_actions_adddup2(&fa, broken[1], 1);
    if (mode == out_mode::closed) posix_spawn_file_actions_addclose(&fa, 1);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    int spawned = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(in_fd);
    if (broken[1] >= 0) ::close(broken[1]);
    if (spawned != 0) return -3;
    int status = 0;
    struct rusage usage {};
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);  // a hang guard, not a timing
    int code = 0;
    while (::wait4(pid, &status, WNOHANG, &usage) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        ::wait4(pid, &status, 0, &usage);
        code = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (cat > 0) ::waitpid(cat, nullptr, 0);
    last_rss_ = usage.ru_maxrss;
    if (code == -1) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
};

struct outcome {
  int code = -1;
  std::string out, err;
  long max_rss_mb = 0;
  bool hung = false;
};

struct temp_dir {
  fs::path path;
  temp_dir() {
    char pattern[] = "/tmp/rollout-pace-hostile-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~temp_dir() { fs::remove_all(path); }
};

// Made before any test allocates: the spawner must be forked from a small process.
struct fixture {
  spawner spawn;
  temp_dir dir;
  static fixture* instance;
  fixture() { instance = this; }
};
fixture* fixture::instance = nullptr;
BOOST_TEST_GLOBAL_FIXTURE(fixture);

fs::path tmp_path() { return fixture::instance->dir.path; }

outcome run(const std::string& input, bool piped, const std::vector<std::string>& args,
            out_mode mode = out_mode::file) {
  fs::path out = tmp_path() / "stdout", err = tmp_path() / "stderr";
  std::ofstream(out, std::ios::trunc).close();
  auto [code, rss] = fixture::instance->spawn.run(input, piped, mode, out, err, args);
  outcome r;
  r.code = code;
  r.hung = code == -1;
  r.max_rss_mb = rss / 1024;
  r.out = slurp(out);
  r.err = slurp(err);
  BOOST_TEST_MESSAGE("exit " << r.code << ", peak RSS " << r.max_rss_mb << " MB, stderr: " << r.err.substr(0, 200));
  return r;
}

outcome run_file(const fs::path& input, const std::vector<std::string>& args = {"--profile=Cautious"},
                 out_mode mode = out_mode::file) {
  return run(input.string(), false, args, mode);
}

// The same input through a pipe, as Helm sends it.
outcome run_piped(const fs::path& input, const std::vector<std::string>& args = {"--profile=Cautious"}) {
  return run(input.string(), true, args);
}

fs::path write(const std::string& name, const std::string& text) {
  fs::path p = tmp_path() / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

const std::string deployment_head = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n";
const std::string deployment_tail =
    "spec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: web\n        image: web\n"
    "        readinessProbe: {tcpSocket: {port: 80}}\n";

// Peak memory means something only without sanitizers (ASan's shadow memory and quarantine).
#ifdef ROLLOUT_PACE_SANITIZED
constexpr bool memory_is_measured = false;
#else
constexpr bool memory_is_measured = true;
#endif
#define CHECK_MEMORY(expr)                                              \
  do {                                                                  \
    if (memory_is_measured)                                             \
      BOOST_TEST(expr);                                                 \
    else                                                                \
      BOOST_TEST_MESSAGE("sanitizer build, memory not judged: " #expr); \
  } while (0)

void one_error_line(const outcome& r, int code, const std::string& contains) {
  BOOST_TEST(!r.hung);
  BOOST_TEST(r.code == code);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err.find(contains) != std::string::npos, r.err.substr(0, 300));
  BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  BOOST_TEST(r.err.rfind("rollout-pace: error: ", 0) == 0u);
}

}  // namespace

BOOST_AUTO_TEST_CASE(input_over_256_mib_is_refused_from_a_file_and_a_pipe) {
  std::string line = "# " + std::string(1021, 'x') + "\n";
  fs::path big = tmp_path() / "big.yaml";
  {
    std::ofstream out(big, std::ios::binary);
    for (int i = 0; i < 270 * 1024; ++i) out << line;  // 270 MiB
  }
  outcome r = run_file(big);
  one_error_line(r, 1, "input is larger than 256 MiB");
  CHECK_MEMORY(r.max_rss_mb < 64);  // a file's size is known before reading
  r = run_piped(big);
  one_error_line(r, 1, "input is larger than 256 MiB");
  CHECK_MEMORY(r.max_rss_mb < 256 + 64);
  fs::remove(big);
}

BOOST_AUTO_TEST_CASE(deep_nesting_is_a_clear_error) {
  outcome r = run_file(write("deep.yaml", deployment_head + "spec:\n  template: " + std::string(100000, '[') + "\n"));
  one_error_line(r, 1, "nesting deeper than yaml-cpp's limit of 500 levels");
}

BOOST_AUTO_TEST_CASE(alias_bomb_in_a_deployment_is_paced_without_expanding_it) {
  std::string bomb = deployment_head + "  annotations:\n    a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 10; ++i) {
    bomb += "    a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 9; ++j) bomb += std::string(j ? ", " : "") + "*a" + std::to_string(i - 1);
    bomb += "]\n";
  }
  bomb += deployment_tail;
  outcome r = run_file(write("bomb.yaml", bomb));
  BOOST_TEST(!r.hung);
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.out.find("minReadySeconds: 30") != std::string::npos);
  BOOST_TEST(r.out.size() < bomb.size() + 200);
  CHECK_MEMORY(r.max_rss_mb < 64);
}

// The comparer once looked up visited pairs with a linear scan: 40 000 anchors took seconds. Its
// growth is measured by the benchmark (bench/run.sh); here: it is paced, and no hang.
BOOST_AUTO_TEST_CASE(forty_thousand_anchors_and_aliases_in_a_deployment) {
  std::string doc = deployment_head + "  annotations:\n";
  for (int i = 0; i < 40000; ++i) doc += "    a" + std::to_string(i) + ": &a" + std::to_string(i) + " v\n";
  for (int i = 0; i < 40000; ++i) doc += "    b" + std::to_string(i) + ": *a" + std::to_string(i) + "\n";
  doc += deployment_tail;
  outcome r = run_file(write("anchors.yaml", doc));
  BOOST_TEST(!r.hung);
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.out.find("minReadySeconds: 30") != std::string::npos);
  CHECK_MEMORY(r.max_rss_mb < 256);
}

BOOST_AUTO_TEST_CASE(a_hundred_thousand_tiny_documents) {
  std::string stream;
  for (int i = 0; i < 100000; ++i) {
    if (i % 10 == 0)
      stream += "---\n" + deployment_head + deployment_tail;
    else
      stream += "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c" + std::to_string(i) + "}\n";
  }
  outcome r = run_piped(write("tiny.yaml", stream));
  BOOST_TEST(!r.hung);
  BOOST_TEST(r.code == 0);
  BOOST_TEST(rollout_pace::split_documents(r.out).size() == 100000u);
  CHECK_MEMORY(r.max_rss_mb < 3 * static_cast<long>(stream.size() >> 20) + 32);
}

BOOST_AUTO_TEST_CASE(one_50_mb_document_passes_untouched_with_bounded_memory) {
  std::string doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n";
  for (int i = 0; doc.size() < (50u << 20); ++i)
    doc += "  key" + std::to_string(i) + ": \"" + std::string(200, 'v') + "\"\n";
  std::string stream = "---\n" + deployment_head + deployment_tail + "---\n" + doc;
  outcome r = run_piped(write("fifty.yaml", stream));
  BOOST_TEST(!r.hung);
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.out.size() > stream.size());
  BOOST_TEST(r.out.compare(r.out.size() - doc.size(), doc.size(), doc) == 0);
  CHECK_MEMORY(r.max_rss_mb < 3 * 50 + 32);
}

BOOST_AUTO_TEST_CASE(a_50_mb_deployment_is_refused_before_parsing) {
  std::string doc = deployment_head + "  annotations:\n";
  for (int i = 0; doc.size() < (50u << 20); ++i)
    doc += "    k" + std::to_string(i) + ": \"" + std::string(200, 'v') + "\"\n";
  doc += deployment_tail;
  outcome r = run_piped(write("fifty-deployment.yaml", doc));
  one_error_line(r, 1, "over the 16 MiB rollout-pace parses");
  CHECK_MEMORY(r.max_rss_mb < 3 * 50 + 32);
}

BOOST_AUTO_TEST_CASE(a_1_mb_line_is_fine) {
  std::string doc =
      deployment_head + "  annotations:\n    long: \"" + std::string(1 << 20, 'x') + "\"\n" + deployment_tail;
  outcome r = run_file(write("long-line.yaml", doc));
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.out.find("minReadySeconds: 30") != std::string::npos);
  BOOST_TEST(r.out.find(std::string(1 << 20, 'x')) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(nul_bytes_and_invalid_utf8_are_clear_errors) {
  one_error_line(run_file(write("nul.yaml", deployment_head + std::string("  x: a\0b\n", 9))), 1,
                 "line 5, column 7: a NUL byte");
  one_error_line(run_file(write("latin1.yaml", deployment_head + "  x: caf\xe9\n")), 1,
                 "line 5, column 9: invalid UTF-8");
}

BOOST_AUTO_TEST_CASE(stdin_that_is_a_directory) {
  outcome r = run("<directory>", false, {"--profile=Cautious"});
  one_error_line(r, 1, "cannot read standard input: Is a directory");
}

BOOST_AUTO_TEST_CASE(stdout_closed_is_an_error_never_a_partial_success) {
  fs::path in = write("ok.yaml", "---\n" + deployment_head + deployment_tail);
  outcome closed = run_file(in, {"--profile=Cautious"}, out_mode::closed);
  BOOST_TEST(closed.code == 1);
  BOOST_TEST(closed.err.find("rollout-pace: error: cannot write standard output") != std::string::npos, closed.err);
  outcome broken = run_file(in, {"--profile=Cautious"}, out_mode::broken_pipe);
  BOOST_TEST(broken.code == 1);
  BOOST_TEST(broken.err.find("rollout-pace: error: cannot write standard output: Broken pipe") != std::string::npos,
             broken.err);
}

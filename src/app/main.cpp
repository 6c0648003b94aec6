// The thin shell around the core: flags, standard input and output, the log file, exit codes.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

#include "app/chart_render.h"
#include "app/cli.h"
#include "app/io.h"
#include "app/process.h"
#include "app/version.h"
#include "base/diagnostic.h"
#include "base/limits.h"
#include "commands/argocd.h"
#include "commands/explain.h"
#include "commands/flux.h"
#include "commands/flux_files.h"
#include "commands/krm.h"
#include "commands/rewrite.h"
#include "plan/format.h"
#include "yaml/reader.h"

namespace rp = rollout_pace;
using rp::input;
using rp::read_all;
using rp::reporter;
using rp::write_all;
using rp::write_pieces;

namespace {

// --log-file found by hand when the flags do not parse, so that usage errors reach the log too
// (Helm 4 hides stderr).
std::string log_file_in(const std::vector<std::string>& args, std::string fallback) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].rfind("--log-file=", 0) == 0)
      fallback = args[i].substr(11);
    else if (args[i] == "--log-file" && i + 1 < args.size())
      fallback = args[i + 1];
  }
  return fallback;
}

int finish(reporter& out, rp::exit_code code) {
  out.flush_log();
  return static_cast<int>(code);
}

// What a command produced: a result, and for plan and explain the report that replaces the stream.
struct run_result {
  rp::result r;
  std::optional<std::string> report;
  bool output_on_error = false;  // the KRM function: its results (all diagnostics) go out even on an error
};

// The KRM function: the flags given, then those its functionConfig says.
run_result run_function(const std::vector<std::string>& args, const rp::function_input& in) {
  std::vector<std::string> all{"fn"};
  all.insert(all.end(), args.begin() + (!args.empty() && args[0] == "fn" ? 1 : 0), args.end());
  std::vector<std::string> config = in.config_flags();
  all.insert(all.end(), config.begin(), config.end());
  rp::command_line fn = rp::parse_command_line(all);
  // kpt and kustomize wait for nothing: the timeout guard only when a timeout is given.
  if (std::none_of(all.begin(), all.end(), [](const std::string& a) { return a.rfind("--timeout", 0) == 0; }))
    fn.opts.timeout_ns = std::numeric_limits<std::int64_t>::max();
  rp::read_inputs(fn);
  run_result out;
  out.r = in.run(fn.opts);
  out.output_on_error = true;
  return out;
}

// What plan's json and sarif say of the findings: the warnings, where each document starts.
rp::findings_context findings_of(const rp::command_line& cl, std::string_view stream, const rp::result& r) {
  rp::findings_context c;
  c.input_name = cl.input_name;
  c.version = ROLLOUT_PACE_VERSION;
  for (const rp::diagnostic& d : r.diagnostics)
    if (d.id != rp::warning_id::none) c.findings.push_back(d);
  if (cl.format != rp::plan_format::json && cl.format != rp::plan_format::sarif) return c;
  rp::manifest_stream s = rp::read_stream(stream);
  rp::line_counter lines(stream);
  for (const rp::scanned_document& d : s.docs) c.document_lines.push_back(lines.line_of(d.offset));
  return c;
}

run_result run(const rp::command_line& cl, const std::vector<std::string>& args, std::unique_ptr<input>& in) {
  run_result out;
  switch (cl.what) {
    case rp::command::flux: {
      rp::options opts = cl.opts;
      opts.render = rp::render_with_helm;
      if (!cl.files.empty())
        out.r = rp::flux_files(cl.files, opts);
      else
        out.r = rp::flux_patch(read_all(0, rp::max_input_bytes), opts);
      return out;
    }
    case rp::command::explain: {
      rp::planned_workload w = rp::explain(cl.opts, *cl.explain_kind, cl.replicas);
      out.report = cl.format == rp::plan_format::json ? rp::workload_json(w) + "\n" : w.summary + "\n";
      out.r.diagnostics = w.decision.diagnostics;
      return out;
    }
    case rp::command::plan:
    case rp::command::fn:
    case rp::command::rewrite: break;
  }
  in = std::make_unique<input>();
  // A ResourceList runs as a function: no Helm stream is one.
  if (cl.what == rp::command::fn || cl.what == rp::command::rewrite) {
    rp::function_input fn(in->view());
    if (cl.what == rp::command::fn || fn.is_resource_list()) return run_function(args, fn);
  }
  out.r = rp::rewrite(in->view(), cl.opts);
  // plan changes nothing: its output is the plan, not the stream.
  if (cl.what == rp::command::plan && (out.r.code == rp::exit_code::ok || out.r.strict_failed))
    out.report = rp::format_plan(out.r.plan, cl.format, findings_of(cl, in->view(), out.r));
  return out;
}

// Whether the arguments run the post-renderer (no command word), whose host may hide its stderr.
bool post_renderer(const std::vector<std::string>& args) {
  if (args.empty()) return true;
  for (rp::command c : {rp::command::plan, rp::command::explain, rp::command::flux, rp::command::fn})
    if (args[0] == rp::display_name(c)) return false;
  return true;
}

// rollout-pace argocd helm|kpt: an Argo CD plugin's generate command (app/argocd.h). Settings come
// from the environment, never flags; helm and kpt run without a shell.
int run_argocd(const std::vector<std::string>& args) {
  reporter out(std::getenv("ROLLOUT_PACE_LOG") ? std::getenv("ROLLOUT_PACE_LOG") : "");
  std::string rendered;
  rp::result r;
  try {
    if (args.size() != 2 || (args[1] != "helm" && args[1] != "kpt"))
      throw rp::failure(rp::exit_code::bad_usage, "usage: rollout-pace argocd helm|kpt (settings as ARGOCD_ENV_*)");
    rp::environment env = rp::current_environment();
    std::filesystem::path here = std::filesystem::current_path();
    if (args[1] == "kpt") {
      std::vector<std::string> argv = rp::plan_argocd_kpt(env, here, rp::own_executable());
      rp::process_output kpt = rp::run_process(argv, rp::max_input_bytes);
      if (kpt.exit_status != 0)
        throw rp::failure(rp::exit_code::bad_input,
                          "kpt fn eval exited with status " + std::to_string(kpt.exit_status));
      rendered = rp::without_local_config(kpt.out);
      r.append(rendered);
    } else {
      rp::argocd_helm_plan plan = rp::plan_argocd_helm(env, here);
      rp::command_line cl = rp::parse_command_line(plan.pace);
      rp::read_inputs(cl);
      rp::process_output helm = rp::run_process(plan.helm, rp::max_input_bytes);
      if (helm.exit_status != 0)
        throw rp::failure(rp::exit_code::bad_input,
                          "helm template exited with status " + std::to_string(helm.exit_status));
      rendered = std::move(helm.out);
      r = rp::rewrite(rendered, cl.opts);
    }
  } catch (const rp::failure& f) {
    r.code = f.code();
    r.clear_output();
    r.diagnostics.push_back(f.as_error());
  }
  for (const auto& d : r.diagnostics) out.print(d);
  if (r.code != rp::exit_code::ok) return finish(out, r.code);
  if (!write_pieces(1, r.pieces())) {
    out.print({rp::diagnostic::level::error, std::string("cannot write standard output: ") + std::strerror(errno)});
    return finish(out, rp::exit_code::bad_input);
  }
  return finish(out, r.code);
}

}  // namespace

int main(int argc, char** argv) {
#ifdef _WIN32
  // Byte for byte: Windows' C runtime would turn "\n" into "\r\n" on a text-mode stream.
  for (int fd : {0, 1, 2}) _setmode(fd, _O_BINARY);
#else
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout must become an error we report, not a silent death
#endif
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "argocd") return run_argocd(args);
  const char* env_log = std::getenv("ROLLOUT_PACE_LOG");
  rp::command_line cl;
  try {
    cl = rp::parse_command_line(args);
  } catch (const rp::failure& f) {
    reporter early(log_file_in(args, env_log ? env_log : ""), post_renderer(args));  // find --log-file by hand
    early.print(f.as_error());
    return finish(early, f.code());
  }
  reporter out(!cl.log_file.empty() ? cl.log_file : env_log ? env_log : "", cl.what == rp::command::rewrite);
  if (cl.help) return write_all(1, rp::help_text(cl.what)) ? 0 : 1;
  if (cl.version) return write_all(1, "rollout-pace " ROLLOUT_PACE_VERSION "\n") ? 0 : 1;

  std::unique_ptr<input> in;  // declared first, so it outlives the result, whose output refers to it
  run_result done;
  try {
    rp::read_inputs(cl);
    for (const std::string& note : cl.notes) out.print({rp::diagnostic::level::note, note});
    done = run(cl, args, in);
  } catch (const rp::failure& f) {
    done.r.code = f.code();
    done.r.clear_output();
    done.report.reset();
    done.r.diagnostics.push_back(f.as_error());
  }
  for (const auto& d : done.r.diagnostics)  // a function's results hold them: there, only errors too
    if (!done.output_on_error || d.kind == rp::diagnostic::level::error) out.print(d);
  if (done.r.code != rp::exit_code::ok && !done.output_on_error) {
    if (done.report && done.r.strict_failed) write_all(1, *done.report);  // plan --strict: the plan, then exit 1
    return finish(out, done.r.code);
  }
  if (!(done.report ? write_all(1, *done.report) : write_pieces(1, done.r.pieces()))) {
    out.print({rp::diagnostic::level::error, std::string("cannot write standard output: ") + std::strerror(errno)});
    return finish(out, rp::exit_code::bad_input);
  }
  return finish(out, done.r.code);
}

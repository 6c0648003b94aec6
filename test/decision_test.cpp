#define BOOST_TEST_MODULE decision
// The decision's steps, each a table of plain facts in and what it decides out: no YAML here (the
// facts are what manifest/ reads; the golden cases run the whole path).
#include "pace/decision.h"
#include "manifest/options.h"
#include "plan/release_plan.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace rollout_pace;

namespace std {
// How Boost.Test prints an optional reason in a failed check.
inline ostream& operator<<(ostream& out, const optional<string>& s) {
  return out << (s ? "\"" + *s + "\"" : "nullopt");
}
}  // namespace std

namespace {

field_fact absent(const std::string& at) {
  field_fact f;
  f.at = at;
  f.shown = "unset";
  return f;
}

field_fact scalar(const std::string& at, const std::string& text, bool plain = true) {
  field_fact f = absent(at);
  f.present = f.scalar = true;
  f.plain = plain;
  f.text = f.shown = text;
  if (plain && !text.empty() && text.find_first_not_of("0123456789") == std::string::npos) f.number = std::stoll(text);
  return f;
}

field_fact map_at(const std::string& at) {
  field_fact f = absent(at);
  f.present = f.is_map = true;
  f.shown = "(not a scalar)";
  return f;
}

// A Deployment "web" in namespace "shop" with a readiness probe and no strategy written.
workload_facts deployment(const std::string& kind = "Deployment") {
  workload_facts f;
  f.ref.kind = find_kind(kind);
  f.ref.document = 1;
  f.ref.name = "web";
  f.ref.ns = "shop";
  f.api_version = std::string(f.ref.kind->group) + "/v1";
  strategy_facts& s = f.fields.value;
  std::string strategy = "spec";
  for (std::string_view step : f.ref.kind->strategy) strategy += "." + std::string(step);
  s.spec = map_at("spec");
  s.strategy = absent(strategy);
  s.type = absent(strategy + ".type");
  s.rolling = absent(rolling_path(*f.ref.kind));
  s.surge = absent(rolling_path(*f.ref.kind) + ".maxSurge");
  s.unavailable = absent(rolling_path(*f.ref.kind) + ".maxUnavailable");
  s.min_ready = absent("spec.minReadySeconds");
  s.deadline = absent("spec.progressDeadlineSeconds");
  s.replicas = scalar("spec.replicas", "4");
  f.readiness_probe.value = true;
  return f;
}

options with_profile(profile_name p) {
  options o;
  o.flags.profile = p;
  return o;
}

std::string error_of(const std::function<void()>& step) {
  try {
    step();
  } catch (const failure& e) {
    return e.what();
  }
  return "";
}

std::vector<std::string> texts(const workload_decision& d) {
  std::vector<std::string> out;
  for (const auto& x : d.diagnostics) out.push_back(x.text);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(eligibility) {
  struct row {
    const char* name;
    std::function<void(workload_facts&, options&)> given;
    std::optional<std::string> left_alone;
  };
  const std::vector<row> rows{
      {"a Deployment is eligible", [](workload_facts&, options&) {}, std::nullopt},
      {"--kinds without it", [](workload_facts&, options& o) { o.kinds = {"DaemonSet"}; },
       "--kinds leaves Deployments alone"},
      {"another API version", [](workload_facts& f, options&) { f.api_version = "extensions/v1beta1"; },
       "apiVersion \"extensions/v1beta1\" is not apps/v1, left as it is"},
      {"a Helm hook", [](workload_facts& f, options&) { f.annotations.hook = true; },
       "Helm hook, left as it is (--include-hooks paces hooks too)"},
      {"a Helm hook with --include-hooks",
       [](workload_facts& f, options& o) { f.annotations.hook = o.include_hooks = true; }, std::nullopt},
      {"rollout-pace/skip", [](workload_facts& f, options&) { f.annotations.skip = true; },
       "rollout-pace/skip is \"true\", left as it is"},
  };
  for (const row& r : rows) {
    BOOST_TEST_CONTEXT(r.name) {
      workload_facts f = deployment();
      options o;
      r.given(f, o);
      workload_decision d;
      BOOST_TEST(ineligible(f, o, d) == r.left_alone);
    }
  }
}

BOOST_AUTO_TEST_CASE(choosing_follows_the_layers_and_the_change_found) {
  workload_facts f = deployment();
  options o;
  BOOST_TEST(!choose_for(f, o));  // nothing chosen anywhere
  f.annotations.chosen.profile = profile_name::paranoid;
  o.flags.profile = profile_name::blitz;
  BOOST_TEST((choose_for(f, o)->profile == profile_name::paranoid));  // the annotation is most specific
  // With --previous and --environment, each change chooses its matrix profile.
  workload_facts g = deployment();
  options prod;
  prod.environment = "PROD";
  const std::vector<std::pair<change_kind, profile_name>> matrix{{change_kind::major, profile_name::paranoid},
                                                                 {change_kind::minor, profile_name::cautious},
                                                                 {change_kind::patch, profile_name::cautious},
                                                                 {change_kind::none, profile_name::cautious},
                                                                 {change_kind::new_workload, profile_name::cautious}};
  for (const auto& [kind, profile] : matrix) {
    g.changed = change{kind, ""};
    BOOST_TEST((choose_for(g, prod)->profile == profile));
  }
  options custom = with_profile(profile_name::custom);
  BOOST_TEST(error_of([&] { choose_for(deployment(), custom); }) ==
             "document 1 (Deployment shop/web): profile Custom needs maxSurge (set the annotation "
             "rollout-pace/max-surge, or --max-surge)");
}

BOOST_AUTO_TEST_CASE(the_strategy_step) {
  struct row {
    const char* name;
    std::function<void(workload_facts&)> given;
    std::optional<std::string> left_alone;
    std::string error;  // "" when none
  };
  const std::vector<row> rows{
      {"nothing written", [](workload_facts&) {}, std::nullopt, ""},
      {"spec is not a map", [](workload_facts& f) { f.fields.value.spec = scalar("spec", "5"); }, std::nullopt,
       "spec: Required value: a Deployment needs a spec map"},
      {"rollingUpdate is a list", [](workload_facts& f) { f.fields.value.rolling.present = true; }, std::nullopt,
       "spec.strategy.rollingUpdate: must be a map"},
      {"an unknown type", [](workload_facts& f) { f.fields.value.type = scalar("spec.strategy.type", "Blue"); },
       std::nullopt,
       "spec.strategy.type: Unsupported value: \"Blue\": supported values: \"Recreate\", \"RollingUpdate\""},
      {"an empty type is defaulted", [](workload_facts& f) { f.fields.value.type = scalar("spec.strategy.type", ""); },
       std::nullopt, ""},
      {"Recreate", [](workload_facts& f) { f.fields.value.type = scalar("spec.strategy.type", "Recreate"); },
       "Recreate, left as it is", ""},
      {"Recreate with rollingUpdate",
       [](workload_facts& f) {
         f.fields.value.type = scalar("spec.strategy.type", "Recreate");
         f.fields.value.rolling = map_at("spec.strategy.rollingUpdate");
       },
       std::nullopt, "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"},
      {"Recreate with a profile annotation",
       [](workload_facts& f) {
         f.fields.value.type = scalar("spec.strategy.type", "Recreate");
         f.annotations.chosen.profile = profile_name::cautious;
       },
       std::nullopt, ""},
      {"a field behind a bad merge key", [](workload_facts& f) { f.fields.error = "document 1: spec: bad merge"; },
       std::nullopt, "document 1: spec: bad merge"},
  };
  for (const row& r : rows) {
    BOOST_TEST_CONTEXT(r.name) {
      workload_facts f = deployment();
      r.given(f);
      workload_decision d;
      std::optional<std::string> left;
      std::string error = error_of([&] { left = check_strategy(f, d); });
      if (r.error.empty()) {
        BOOST_TEST(error == "");
        BOOST_TEST(left == r.left_alone);
      } else {
        BOOST_TEST(error.find(r.error) != std::string::npos, error);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_rollout_without_a_canary_is_left_alone_and_a_workload_ref_template_too) {
  workload_facts f = deployment("Rollout");
  f.api_version = "argoproj.io/v1alpha1";
  workload_decision d;
  BOOST_TEST(check_strategy(f, d) == std::optional<std::string>("no spec.strategy.canary, left as it is"));
  // The Deployment whose pod template a Rollout runs (workloadRef) is left alone, with a note.
  workload_facts g = deployment();
  g.template_for = "Rollout shop/web";
  workload_decision e;
  BOOST_TEST(ineligible(g, options{}, e) ==
             std::optional<std::string>("the pod template of Rollout shop/web, left as it is"));
  BOOST_TEST_REQUIRE(e.diagnostics.size() == 1u);
  BOOST_TEST((e.diagnostics[0].kind == diagnostic::level::note));
}

BOOST_AUTO_TEST_CASE(mapping_to_the_kind) {
  struct row {
    const char* kind;
    profile_name profile;
    bool host_bound;
    std::string surge, unavailable;  // "-": not written
    bool warned;
  };
  const std::vector<row> rows{
      {"Deployment", profile_name::cautious, false, "25%", "0", false},
      {"DaemonSet", profile_name::cautious, false, "25%", "0", false},
      {"DaemonSet", profile_name::cautious, true, "0", "1", true},
      {"DaemonSet", profile_name::blitz, false, "0", "50%", false},
      {"StatefulSet", profile_name::paranoid, false, "-", "1", true},
      {"StatefulSet", profile_name::blitz, false, "-", "50%", false},
  };
  for (const row& r : rows) {
    BOOST_TEST_CONTEXT(r.kind << " " << display_name(r.profile) << (r.host_bound ? " with a host port" : "")) {
      workload_facts f = deployment(r.kind);
      f.host_bound.value = r.host_bound;
      options o = with_profile(r.profile);
      workload_decision d;
      d.pace = choose_for(f, o);
      map_and_validate(f, o, d);
      BOOST_TEST((d.written.max_surge ? d.written.max_surge->text() : "-") == r.surge);
      BOOST_TEST(d.written.max_unavailable.text() == r.unavailable);
      BOOST_TEST(!d.written.adjusted.empty() == r.warned);
    }
  }
}

BOOST_AUTO_TEST_CASE(validation_names_the_field_and_where_each_value_came_from) {
  workload_facts f = deployment();
  options o = with_profile(profile_name::custom);
  o.flags.overrides = {int_or_percent{0, false}, int_or_percent{0, false}, 0};
  workload_decision d;
  d.pace = choose_for(f, o);
  BOOST_TEST(error_of([&] { map_and_validate(f, o, d); }) ==
             "document 1 (Deployment shop/web): spec.strategy.rollingUpdate.maxUnavailable: may not be 0 when "
             "`maxSurge` is 0 (maxSurge 0 from flag, maxUnavailable 0 from flag)");
  // progressDeadlineSeconds is raised above minReadySeconds, with a note.
  workload_facts g = deployment();
  options p = with_profile(profile_name::paranoid);
  p.flags.overrides.min_ready_seconds = 700;
  workload_decision e;
  e.pace = choose_for(g, p);
  map_and_validate(g, p, e);
  BOOST_TEST(*e.progress_deadline == 1300);
  BOOST_TEST(texts(e).size() == 1u);
  // The feature gate a StatefulSet's maxUnavailable needs, on older API servers.
  workload_facts s = deployment("StatefulSet");
  options old = with_profile(profile_name::blitz);
  old.kube = kube_version{33, -1};
  workload_decision h;
  h.pace = choose_for(s, old);
  map_and_validate(s, old, h);
  BOOST_TEST(texts(h).at(0).find("needs the MaxUnavailableStatefulSet feature gate") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(warnings) {
  struct row {
    const char* name;
    profile_name profile;
    std::function<void(workload_facts&)> given;
    std::vector<std::string> contain;  // one per warning, in order
  };
  const std::vector<row> rows{
      {"none for a ready Deployment", profile_name::cautious, [](workload_facts&) {}, {}},
      {"no readiness probe",
       profile_name::cautious,
       [](workload_facts& f) { f.readiness_probe.value = false; },
       {"no container has a readinessProbe"}},
      {"no readiness probe, but Blitz waits nothing",
       profile_name::blitz,
       [](workload_facts& f) { f.readiness_probe.value = false; },
       {}},
      {"one replica without surge",
       profile_name::blitz,
       [](workload_facts& f) { f.fields.value.replicas = scalar("spec.replicas", "1"); },
       {}},
      {"the default replica, Paranoid surges",
       profile_name::paranoid,
       [](workload_facts& f) { f.fields.value.replicas = absent("spec.replicas"); },
       {}},
  };
  for (const row& r : rows) {
    BOOST_TEST_CONTEXT(r.name) {
      workload_facts f = deployment();
      r.given(f);
      options o = with_profile(r.profile);
      workload_decision d;
      d.pace = choose_for(f, o);
      map_and_validate(f, o, d);
      d.diagnostics.clear();
      warn(f, d);
      BOOST_TEST_REQUIRE(d.diagnostics.size() == r.contain.size());
      for (std::size_t i = 0; i < r.contain.size(); ++i)
        BOOST_TEST(d.diagnostics[i].text.find(r.contain[i]) != std::string::npos);
    }
  }
  // Replicas as the plan counts them: absent is the default 1, a quoted number is not a count, a
  // number as Kubernetes reads it (0x10 is 16) is.
  {
    workload_facts g = deployment();
    g.fields.value.replicas = scalar("spec.replicas", "0x10");
    g.fields.value.replicas.number = 16;
    BOOST_TEST(*decide_workload(g, with_profile(profile_name::cautious)).replicas == 16);
  }
  workload_facts f = deployment();
  f.fields.value.replicas = scalar("spec.replicas", "3", /*plain=*/false);
  options o = with_profile(profile_name::cautious);
  workload_decision d = decide_workload(f, o);
  BOOST_TEST(!d.replicas);
  f.fields.value.replicas = absent("spec.replicas");
  d = decide_workload(f, o);
  BOOST_TEST((*d.replicas == 1 && d.replicas_defaulted));
}

BOOST_AUTO_TEST_CASE(a_fact_that_could_not_be_read_is_raised_only_when_needed) {
  workload_facts f = deployment();
  f.fields.error = "document 1 (Deployment shop/web): spec: a merge key's value is not a map";
  workload_decision left = decide_workload(f, options{});  // nothing chosen: the fields are never read
  BOOST_TEST(left.left_alone == "no profile chosen, left as it is");
  BOOST_TEST(error_of([&] { decide_workload(f, with_profile(profile_name::blitz)); }) == f.fields.error);
}

namespace {

// The controller of the kind the test below adds: one pod at a time, whatever the profile says.
rollout_plan one_pod_at_a_time(const kind_update& u) {
  return simulate_rolling_update(u.replicas, int_or_percent{1, false}, int_or_percent{0, false}, u.min_ready_seconds,
                                 u.pod_startup_seconds);
}

// The src/ files that name kind_rounding's values (branch on a kind's controller).
std::vector<std::string> files_branching_on_kinds() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(ROLLOUT_PACE_SOURCE_DIR "/src")) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path());
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find("kind_rounding::") != std::string::npos)
      out.push_back(e.path().lexically_relative(ROLLOUT_PACE_SOURCE_DIR).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

// docs/architecture.md, "Where to look": a new kind is one row of kube/kinds.cpp and its functions.
// This walks it. A row no code outside the table knows, a Widget of example.com whose controller
// replaces one pod at a time, is decided, written and planned from its row alone.
BOOST_AUTO_TEST_CASE(a_new_kind_is_one_row_and_its_functions) {
  workload_kind widget = *find_kind("Deployment");  // a row like the Deployment's, with its own controller
  widget.kind = "Widget";
  widget.group = "example.com";
  widget.versions = {"v1beta1"};
  widget.list_kind = "WidgetList";
  widget.simulate = one_pod_at_a_time;
  BOOST_TEST(widget.api_version() == "example.com/v1beta1");  // what flux's patch writes
  workload_facts f = deployment();
  f.ref.kind = &widget;
  f.api_version = widget.api_version();
  options o = with_profile(profile_name::blitz);
  workload_decision d = decide_workload(f, o);
  BOOST_TEST_REQUIRE(d.pace.has_value());
  BOOST_TEST(d.written.max_unavailable.text() == "50%");  // the row's rules and mapping
  release_plan plan;
  plan.workloads.emplace_back(f.ref, d);
  complete_plan(plan, {}, o);
  BOOST_TEST_REQUIRE(plan.workloads[0].rollout.has_value());
  // Blitz would replace 4 pods at once; the row's controller takes 4 steps of one.
  BOOST_TEST(plan.workloads[0].rollout->step_count() == 4);
  BOOST_TEST(plan.workloads[0].summary.find("4 steps") != std::string::npos);
}

// ...and nothing outside the table branches on which controller a kind has: each such difference is
// a field or a function of the row.
BOOST_AUTO_TEST_CASE(only_the_kinds_table_branches_on_a_kinds_controller) {
  std::vector<std::string> files = files_branching_on_kinds();
  BOOST_TEST(files == (std::vector<std::string>{"src/kube/kinds.cpp"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_workload_left_alone_rolls_out_by_its_own_fields_and_the_api_defaults) {
  struct row {
    const char* name;
    std::string kind;
    std::function<void(workload_facts&)> given;
    std::optional<std::string> own;  // "maxSurge/maxUnavailable/minReadySeconds", or none
  };
  const std::vector<row> rows{
      {"a Deployment with nothing written: SetDefaults_Deployment", "Deployment", [](workload_facts&) {}, "25%/25%/0"},
      {"a DaemonSet: SetDefaults_DaemonSet", "DaemonSet", [](workload_facts&) {}, "0/1/0"},
      {"a StatefulSet: one pod at a time", "StatefulSet", [](workload_facts&) {}, "0/1/0"},
      {"a canary Rollout: Argo's defaults", "Rollout",
       [](workload_facts& f) { f.fields.value.strategy = map_at("spec.strategy.canary"); }, "25%/25%/0"},
      {"its own values", "Deployment",
       [](workload_facts& f) {
         f.fields.value.surge = scalar("spec.strategy.rollingUpdate.maxSurge", "50%");
         f.fields.value.unavailable = scalar("spec.strategy.rollingUpdate.maxUnavailable", "0");
         f.fields.value.min_ready = scalar("spec.minReadySeconds", "20");
       },
       "50%/0/20"},
      {"Recreate has no rolling update", "Deployment",
       [](workload_facts& f) { f.fields.value.type = scalar("spec.strategy.type", "Recreate"); }, std::nullopt},
      {"a quoted integer the API server refuses", "Deployment",
       [](workload_facts& f) { f.fields.value.surge = scalar("spec.strategy.rollingUpdate.maxSurge", "1", false); },
       std::nullopt},
      {"both 0, which ValidateRollingUpdateDeployment refuses", "Deployment",
       [](workload_facts& f) {
         f.fields.value.surge = scalar("spec.strategy.rollingUpdate.maxSurge", "0");
         f.fields.value.unavailable = scalar("spec.strategy.rollingUpdate.maxUnavailable", "0");
       },
       std::nullopt},
      {"a field behind a bad merge key", "Deployment",
       [](workload_facts& f) { f.fields.error = "document 1: spec: bad merge"; }, std::nullopt},
  };
  for (const row& r : rows) {
    BOOST_TEST_CONTEXT(r.name) {
      workload_facts f = deployment(r.kind);
      r.given(f);
      workload_decision d;
      BOOST_CHECK_NO_THROW(read_own(f, options{}, d));
      std::optional<std::string> own;
      if (d.own)
        own = d.own->max_surge.text() + "/" + d.own->max_unavailable.text() + "/" +
              std::to_string(d.own->min_ready_seconds);
      BOOST_TEST(own == r.own);
    }
  }
  // Left alone for want of a profile, it is read; a hook is not (Helm creates it, it does not roll).
  workload_facts f = deployment();
  BOOST_TEST(decide_workload(f, options{}).own.has_value());
  f.annotations.hook = true;
  BOOST_TEST(!decide_workload(f, options{}).own.has_value());
}

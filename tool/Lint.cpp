// `rayify lint`: runs the lint rules (tool/rules/) over each file, then applies the
// configuration's severities, the `// rayify: ignore` comments and the baseline, and
// prints text, JSON or SARIF (resources/lint.md).
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>

#include "Commands.h"
#include "driver/Installation.h"
#include "driver/Project.h"
#include "emit/AtomicFile.h"
#include "frontend/ConvertFrontend.h"
#include "lint/Config.h"
#include "lint/LintReport.h"
#include "lint/RuleCatalog.h"
#include "lint/Suppressions.h"
#include "passes/PassRegistry.h"

namespace rayify {
namespace {

// The git work tree holding the current directory, else the current directory.
std::string ProjectRoot(const std::string &given) {
  if (!given.empty()) return Absolute(given);
  std::string git = GitWorkTree(".");
  return git.empty() ? Absolute(".") : git;
}

std::string LineOf(const std::string &text, unsigned line) {
  std::istringstream stream(text);
  std::string current;
  for (unsigned at = 1; std::getline(stream, current); ++at) {
    if (at == line) return current;
  }
  return "";
}

// The files to lint: the inputs, or with -p and none, the database's files.
bool CollectInputs(const LintOptions &options, std::vector<std::string> &inputs) {
  inputs = options.inputs;
  if (!inputs.empty()) return CheckInputFiles(inputs);
  if (options.compile_commands_dir.empty()) {
    std::cerr << "rayify lint: error: name the files to check, or give -p BUILD_DIR to "
                 "check every file of its compile_commands.json\n";
    return false;
  }
  try {
    std::regex include(options.include.empty() ? ".*" : options.include);
    std::regex exclude(options.exclude.empty() ? "$^" : options.exclude);
    for (const std::string &file : DatabaseFiles(options.compile_commands_dir)) {
      if (std::regex_search(file, include) && !std::regex_search(file, exclude)) {
        inputs.push_back(file);
      }
    }
  } catch (const std::exception &error) {
    std::cerr << "rayify lint: error: " << error.what() << "\n";
    return false;
  }
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) {
    std::cerr << "rayify lint: error: no file of " << options.compile_commands_dir
              << "/compile_commands.json matches --include/--exclude\n";
    return false;
  }
  return true;
}

std::vector<Plan> LintInParallel(const std::vector<std::string> &inputs,
                                 const std::vector<Settings> &settings,
                                 const LintOptions &options) {
  std::vector<Plan> plans(inputs.size());
  std::vector<std::string> diagnostics(inputs.size());
  ParallelFor(inputs.size(), options.jobs, [&](size_t i) {
    ConvertRequest request;
    request.inputs = {inputs[i]};
    request.compile_commands_dir = options.compile_commands_dir;
    request.passes = &PassRegistry::Lint();
    request.settings = settings[i];
    // Ray code builds against Ray's headers; without a database naming them, the
    // bundled runtime's (the same API) stand in, as system headers.
    request.extra_args = {"-isystem", RuntimeIncludeDir()};
    request.extra_args.insert(request.extra_args.end(), options.extra_args.begin(),
                              options.extra_args.end());
    request.skip_converted = false;
    request.user_code_only = true;
    try {
      plans[i] = PlanConversions(request, diagnostics[i]).front();
    } catch (const std::exception &error) {
      plans[i].input = inputs[i];
      plans[i].error = std::string("rayify failed on this file: ") + error.what();
    }
  });
  for (const std::string &text : diagnostics) std::cerr << text;
  return plans;
}

struct Tally {
  std::map<Severity, int> by_severity;
  int suppressed = 0;
  int in_baseline = 0;
  int failed_files = 0;
};

// The findings of one file's plan after configuration and suppressions, each with
// its source line; unused suppressions become findings when asked.
void CollectFindings(const Plan &plan, const Settings &settings,
                     const LintOptions &options, const std::string &root,
                     std::vector<LintFinding> &out, Tally &tally) {
  std::map<std::string, std::vector<Suppression>> suppressions;
  auto text_of = [&](const std::string &file) -> const std::string & {
    auto found = plan.sources.find(file);
    return found != plan.sources.end() ? found->second : plan.sources.at(plan.input);
  };
  auto suppressions_of = [&](const std::string &file) -> std::vector<Suppression> & {
    auto found = suppressions.find(file);
    if (found == suppressions.end()) {
      std::vector<std::string> errors;
      found = suppressions.emplace(file, ParseSuppressions(text_of(file), &errors)).first;
      for (const std::string &error : errors) {
        std::cerr << "rayify lint: warning: " << file << ": " << error << "\n";
      }
    }
    return found->second;
  };
  suppressions_of(plan.input);
  for (Finding finding : plan.findings) {
    const RuleInfo *rule = FindLintRule(finding.code);
    RuleSetting setting =
        settings.Rule(finding.code, rule ? rule->severity : Severity::kWarning);
    if (!setting.enabled) continue;
    finding.severity = setting.severity;
    if (Suppress(finding, suppressions_of(finding.file))) {
      ++tally.suppressed;
      continue;
    }
    out.push_back({finding, RelativeTo(root, finding.file),
                   LineOf(text_of(finding.file), finding.Line()), ""});
  }
  RuleSetting unused = settings.Rule(kUnusedSuppressionRule);
  if (!options.report_unused_suppressions || !unused.enabled) return;
  for (const auto &[file, list] : suppressions) {
    for (const Suppression &suppression : list) {
      if (suppression.used) continue;
      Finding finding;
      finding.file = file;
      finding.range = {{suppression.line, 1}, {suppression.line, 1}};
      finding.rule = finding.code = kUnusedSuppressionRule;
      finding.severity = unused.severity;
      finding.message = "'" + suppression.text + "' suppresses no finding; remove it";
      out.push_back(
          {finding, RelativeTo(root, file), LineOf(text_of(file), suppression.line), ""});
    }
  }
}

bool SameFinding(const LintFinding &a, const LintFinding &b) {
  return a.uri == b.uri && a.finding.range.begin.line == b.finding.range.begin.line &&
         a.finding.range.begin.column == b.finding.range.begin.column &&
         a.finding.code == b.finding.code && a.finding.message == b.finding.message;
}

// File, line, column and rule order; a header's finding seen from two files once.
void SortAndDeduplicate(std::vector<LintFinding> &findings) {
  std::stable_sort(
      findings.begin(), findings.end(), [](const LintFinding &a, const LintFinding &b) {
        const Finding &x = a.finding, &y = b.finding;
        return std::tie(a.uri, x.range.begin.line, x.range.begin.column, x.code) <
               std::tie(b.uri, y.range.begin.line, y.range.begin.column, y.code);
      });
  findings.erase(std::unique(findings.begin(), findings.end(), SameFinding),
                 findings.end());
}

bool UseColor(const LintOptions &options) {
  if (options.color == "always") return true;
  if (options.color == "never" || options.format != "text" || !options.output.empty()) {
    return false;
  }
  const char *term = std::getenv("TERM");
  return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr && term != nullptr &&
         std::string(term) != "dumb";
}

bool AtOrAbove(Severity severity, const std::string &fail_on) {
  if (fail_on == "never") return false;
  Severity bar = fail_on == "note"    ? Severity::kNote
                 : fail_on == "error" ? Severity::kError
                                      : Severity::kWarning;
  return static_cast<int>(severity) >= static_cast<int>(bar);
}

std::string Render(const std::vector<LintFinding> &findings,
                   const std::vector<std::string> &inputs, const Settings &settings,
                   const std::string &root, const LintOptions &options) {
  if (options.format == "json") return LintJson(findings, inputs);
  if (options.format == "sarif")
    return SarifLog(findings, settings, root, RAYIFY_VERSION);
  return TextDiagnostics(findings, UseColor(options));
}

void PrintSummary(size_t files, const Tally &tally) {
  auto count = [&](Severity severity) {
    auto found = tally.by_severity.find(severity);
    return found == tally.by_severity.end() ? 0 : found->second;
  };
  std::cerr << "rayify lint: " << files << " file(s): " << count(Severity::kError)
            << " error(s), " << count(Severity::kWarning) << " warning(s), "
            << count(Severity::kNote) << " note(s)";
  if (tally.suppressed > 0) std::cerr << "; " << tally.suppressed << " suppressed";
  if (tally.in_baseline > 0) std::cerr << "; " << tally.in_baseline << " in the baseline";
  if (tally.failed_files > 0)
    std::cerr << "; " << tally.failed_files << " file(s) failed";
  std::cerr << "\n";
}

int DumpEffectiveConfig(const LintOptions &options) {
  std::vector<Settings> settings;
  std::string anchor = options.inputs.empty() ? "./.rayify" : options.inputs.front();
  if (!ResolveSettings({anchor}, options.config_file, settings)) return kExitUsage;
  std::cout << DumpConfig(settings.front());
  return kExitClean;
}

}  // namespace

int RunLint(const LintOptions &options) {
  if (options.dump_config) return DumpEffectiveConfig(options);
  std::vector<std::string> inputs;
  if (!CollectInputs(options, inputs)) return kExitUsage;
  std::vector<Settings> settings;
  if (!ResolveSettings(inputs, options.config_file, settings)) return kExitUsage;
  std::set<std::string> baseline;
  try {
    if (!options.baseline.empty()) {
      if (!CheckInputFiles({options.baseline})) return kExitUsage;
      baseline = BaselineFingerprints(ReadFile(options.baseline), options.baseline);
    }
  } catch (const std::exception &error) {
    std::cerr << "rayify lint: error: " << error.what() << "\n";
    return kExitUsage;
  }
  if (inputs.size() > 1)
    std::cerr << "rayify lint: checking " << inputs.size() << " files\n";
  std::vector<Plan> plans = LintInParallel(inputs, settings, options);
  const std::string root = ProjectRoot(options.project_root);
  Tally tally;
  std::vector<LintFinding> findings;
  for (size_t i = 0; i < plans.size(); ++i) {
    if (!plans[i].error.empty()) {
      std::cerr << "rayify lint: error: " << inputs[i] << ": " << plans[i].error << "\n";
      ++tally.failed_files;
      continue;
    }
    CollectFindings(plans[i], settings[i], options, root, findings, tally);
  }
  SortAndDeduplicate(findings);
  AssignFingerprints(findings);
  std::vector<LintFinding> reported;
  bool fail = false;
  for (const LintFinding &lint : findings) {
    if (baseline.count(lint.fingerprint) != 0) {
      ++tally.in_baseline;
      continue;
    }
    ++tally.by_severity[lint.finding.severity];
    fail = fail || AtOrAbove(lint.finding.severity, options.fail_on);
    reported.push_back(lint);
  }
  std::string rendered = Render(reported, inputs, settings.front(), root, options);
  try {
    if (options.output.empty()) {
      std::cout << rendered << std::flush;
    } else {
      WriteFileAtomically(options.output, rendered);
    }
  } catch (const std::exception &error) {
    std::cerr << "rayify lint: error: " << error.what() << "\n";
    return kExitUsage;
  }
  PrintSummary(inputs.size(), tally);
  if (tally.failed_files > 0) return kExitUsage;
  return fail ? kExitFindings : kExitClean;
}

}  // namespace rayify

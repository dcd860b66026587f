// `rayify convert`: single programs into an output directory, or a whole project from
// its compilation database (mirrored under -o, or in place).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <thread>

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include "Commands.h"
#include "driver/Installation.h"
#include "driver/Project.h"
#include "driver/ProjectLink.h"
#include "driver/Realize.h"
#include "emit/AtomicFile.h"
#include "emit/Templates.h"
#include "emit/UnifiedDiff.h"
#include "frontend/CompileCheck.h"
#include "frontend/ConvertFrontend.h"
#include "model/Edits.h"
#include "model/FileConversion.h"
#include "model/ReasonCodes.h"
#include "report/Progress.h"
#include "report/Report.h"

namespace rayify {
namespace {

/// What one run converts and where it goes.
struct ConvertJob {
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  OutputLayout layout;
  bool batch = false;  // the inputs came from the compilation database
  /// Every file of the database is an input: no unit outside the run can call the
  /// inputs' functions, so driver code may span files.
  bool whole_program = false;
};

void Error(const std::string &message) {
  std::cerr << "rayify: error: " << message << "\n";
}

// The project root: --project-root, else the git work tree holding the build
// directory, else the deepest directory holding the build directory and every file.
std::string ProjectRootFor(const ConvertOptions &options,
                           const std::vector<std::string> &files) {
  if (!options.project_root.empty()) return Absolute(options.project_root);
  std::string build = Absolute(options.compile_commands_dir);
  std::string git = GitWorkTree(build);
  if (!git.empty()) return git;
  std::vector<std::string> all = {build + "/compile_commands.json"};
  for (const std::string &file : files) all.push_back(Absolute(file));
  return CommonDirectory(all);
}

// With -p and no files: the project's own files of the database.
bool SelectBatch(const ConvertOptions &options, ConvertJob &job) {
  if (options.compile_commands_dir.empty()) {
    Error(
        "name the files to convert, or give -p BUILD_DIR to convert every file of its "
        "compile_commands.json");
    return false;
  }
  std::vector<std::string> all;
  try {
    all = DatabaseFiles(options.compile_commands_dir);
  } catch (const std::exception &e) {
    Error(e.what());
    return false;
  }
  job.layout.root = ProjectRootFor(options, all);
  DatabaseSelection selection;
  try {
    selection =
        SelectProjectFiles(all, job.layout.root, Absolute(options.compile_commands_dir),
                           options.include, options.exclude);
  } catch (const std::regex_error &e) {
    Error("--include/--exclude is not a valid regular expression: " +
          std::string(e.what()));
    return false;
  }
  std::string left_out;
  auto note = [&left_out](size_t count, const char *why) {
    if (count > 0)
      left_out += (left_out.empty() ? "" : ", ") + std::to_string(count) + why;
  };
  note(selection.outside_root, " outside the project root");
  note(selection.generated, " generated in the build directory");
  note(selection.not_cxx, " C sources");
  note(selection.filtered, " left out by --include/--exclude");
  std::cerr << "rayify: " << selection.files.size() << " of " << all.size()
            << " files in " << options.compile_commands_dir
            << "/compile_commands.json, project root " << job.layout.root
            << (left_out.empty() ? "" : " (left alone: " + left_out + ")") << "\n";
  if (selection.files.empty()) {
    Error("no file of " + options.compile_commands_dir +
          "/compile_commands.json is left to convert");
    return false;
  }
  job.inputs = selection.files;
  job.batch = true;
  job.whole_program =
      selection.files.size() == std::set<std::string>(all.begin(), all.end()).size();
  return true;
}

bool ChooseLayout(const ConvertOptions &options, ConvertJob &job) {
  OutputLayout &layout = job.layout;
  layout.output_dir = options.output_dir;
  if (options.in_place) {
    if (options.output_given) {
      Error("--in-place and -o exclude each other: in place, each file is its output");
      return false;
    }
    layout.kind = OutputLayout::Kind::kInPlace;
    if (layout.root.empty()) {
      layout.root =
          options.project_root.empty() ? Absolute(".") : Absolute(options.project_root);
    }
    return true;
  }
  if (layout.output_dir.empty()) {
    Error("the output directory (-o) is empty");
    return false;
  }
  if (!job.batch && options.project_root.empty()) return true;  // by name
  layout.kind = OutputLayout::Kind::kMirror;
  if (layout.root.empty()) layout.root = Absolute(options.project_root);
  std::string output = Absolute(layout.output_dir);
  if (output == layout.root) {
    Error("the output directory " + layout.output_dir +
          " is the project root; use --in-place to rewrite the files where they are");
    return false;
  }
  return true;
}

// Every output path, refusing one that would overwrite an input or be claimed by two
// inputs.
bool PlanOutputs(ConvertJob &job) {
  std::map<std::string, std::string> claimed;
  bool ok = true;
  for (const auto &input : job.inputs) {
    std::string output;
    try {
      output = job.layout.OutputOf(input);
    } catch (const std::exception &e) {
      Error(e.what());
      ok = false;
      continue;
    }
    bool in_place = job.layout.kind == OutputLayout::Kind::kInPlace;
    if (!in_place && Absolute(output) == Absolute(input)) {
      Error(input + ": the output path " + output +
            " is the input itself; choose another output directory with -o");
      ok = false;
    } else if (!claimed.emplace(output, input).second) {
      Error(input + " and " + claimed[output] + " would both be written to " + output +
            " (--project-root DIR mirrors their folders under -o instead)");
      ok = false;
    }
    job.outputs.push_back(output);
  }
  return ok;
}

// The path a file would have once written: its directory resolved when it exists,
// else made absolute and without . and .. (neither needs to exist yet).
std::string WouldBeRealPath(const std::string &path) {
  std::string dir = RealPath(Directory(path));
  if (!dir.empty()) return dir + "/" + llvm::sys::path::filename(path).str();
  llvm::SmallString<256> absolute(path);
  llvm::sys::fs::make_absolute(absolute);
  llvm::sys::path::remove_dots(absolute, /*remove_dot_dot=*/true);
  return absolute.str().str();
}

// Usage errors found before anything is parsed: C sources given by name, and a report
// that would overwrite an input or an output.
bool CheckPaths(const ConvertOptions &options, const ConvertJob &job) {
  bool ok = true;
  for (const auto &input : options.inputs) {
    if (llvm::StringRef(input).ends_with(".c")) {
      Error(input + ": is a C source; rayify converts C++ (.cpp, .cc, .cxx)");
      ok = false;
    }
  }
  if (options.report_file.empty()) return ok;
  std::string report = WouldBeRealPath(options.report_file);
  std::vector<std::string> taken = job.outputs;
  taken.insert(taken.end(), job.inputs.begin(), job.inputs.end());
  taken.push_back(job.layout.output_dir + "/CMakeLists.txt");
  for (const auto &path : taken) {
    if (WouldBeRealPath(path) == report) {
      Error("--report-file " + options.report_file + " is " + path +
            ", an input or output of this run; choose another path");
      return false;
    }
  }
  return ok;
}

// What the progress line says of a planned file.
std::string Outcome(const Plan &plan) {
  if (!plan.error.empty()) return "failed: " + plan.error;
  if (plan.already_converted) return "already converted";
  size_t conversions = 0;
  for (const Finding &finding : plan.findings) conversions += finding.IsConversion();
  return conversions == 0 ? "nothing to convert"
                          : std::to_string(conversions) + " conversion(s) planned";
}

// Two conversions rewriting the same text is a limit of rayify's, not of the
// program: the loop whose edits collide is planned again as staying sequential, so
// that the rest of the file still converts (rather than the whole file failing).
// Only the last plan's decisions are printed.
void PlanAvoidingOverlaps(ConvertRequest &one, Plan &plan, std::string &diagnostics) {
  constexpr int kRounds = 3;
  for (int round = 0; round < kRounds; ++round) {
    std::optional<unsigned> line = OverlappingLoopLine(plan);
    if (!line) return;
    one.settings.overlapping_loop_lines.insert(*line);
    std::string again;
    plan = PlanConversions(one, again).front();
    diagnostics = again;
  }
}

// Each file is planned inside its own error handling: one that fails (even by an
// exception a pass let through) is reported as failed and the others go on. Each
// file gets the settings of its own configuration. Plans land by index, so the result
// is the same for any number of jobs. A file's compiler diagnostics are printed with
// its progress line.
void PlanInParallel(const ConvertRequest &request, const std::vector<Settings> &settings,
                    int jobs, const std::vector<size_t> &which,
                    std::vector<Plan> &plans) {
  const size_t total = which.size();
  Progress progress(total, isatty(STDERR_FILENO) != 0, std::cerr);
  ParallelFor(total, jobs, [&](size_t k) {
    const size_t i = which[k];
    ConvertRequest one = request;
    one.inputs = {request.inputs[i]};
    one.settings = settings[i];
    std::string diagnostics;
    try {
      plans[i] = PlanConversions(one, diagnostics).front();
      PlanAvoidingOverlaps(one, plans[i], diagnostics);
    } catch (const std::exception &e) {
      plans[i].input = request.inputs[i];
      plans[i].error = std::string("rayify failed on this file: ") + e.what();
    }
    if (request.inputs.size() > 1) {
      progress.Done(request.inputs[i], Outcome(plans[i]), !plans[i].error.empty(),
                    diagnostics);
    } else {
      std::cerr << diagnostics;
    }
  });
  progress.Finish();
}

std::vector<Plan> PlanAll(const ConvertRequest &request,
                          const std::vector<Settings> &settings, int jobs) {
  std::vector<size_t> all(request.inputs.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  std::vector<Plan> plans(all.size());
  PlanInParallel(request, settings, jobs, all, plans);
  return plans;
}

// The second pass over a project: the units whose decisions needed what other units
// define are planned again with the linked summaries, and the functions that became
// tasks are registered by their own files. In a whole program, driver code spans
// files, and each round may move it (a loop converted in one file runs a function of
// another inside its tasks; a file that converts makes main's file connect to Ray),
// so units are planned again until no plan was made with other driver code than the
// project's. Which units are planned again depends only on the plans before, so the
// result is the same for any number of jobs.
void PlanAcrossUnits(ConvertRequest request, const std::vector<Settings> &settings,
                     int jobs, bool whole_program, std::vector<Plan> &plans) {
  ProjectSummaries project = LinkSummaries(plans, whole_program);
  std::vector<size_t> redo = PlansToRedo(plans, project);
  for (size_t i : PlansToRedoForDriverCode(plans, project)) {
    if (std::find(redo.begin(), redo.end(), i) == redo.end()) redo.push_back(i);
  }
  std::sort(redo.begin(), redo.end());
  // Each round only takes driver code away from what tasks run, or gives it to what
  // they no longer run, along chains of calls; a few rounds settle any real program.
  constexpr int kRounds = 6;
  for (int round = 0; !redo.empty(); ++round) {
    if (round == kRounds) {
      for (size_t i : redo) {
        plans[i].error =
            "rayify could not settle which of its functions are driver code across the "
            "project's files";
      }
      break;
    }
    std::cerr << "rayify: planning " << redo.size()
              << " file(s) again with what the other files of the project define\n";
    request.project = &project;
    PlanInParallel(request, settings, jobs, redo, plans);
    project = LinkSummaries(plans, whole_program);
    redo = PlansToRedoForDriverCode(plans, project);
  }
  GiveProjectReasons(plans, project);
  AddRegistrations(plans, project);
  AddDriverDependencies(plans);
}

// A converted file that does not compile is left as it was, and every loop decision
// in it says why: the conversion must never hand the user a broken program.
void LeaveUnconverted(FileConversion &file, const std::string &error) {
  file.converted = file.original;
  file.headers.clear();
  for (Finding &finding : file.findings) {
    if (!finding.IsConversion()) continue;
    finding.conversion.reset();
    finding.fix.clear();
    finding.code = ReasonCode(SkipReason::kDoesNotCompile);
    finding.message = "the converted file would not compile (" + error +
                      "), so the file is left as it was.";
  }
}

// A file whose tasks another file registers needs that file converted too.
bool LeaveDependentsUnconverted(std::vector<FileConversion> &files,
                                std::map<std::string, FileConversion *> &by_input) {
  bool changed = false;
  for (FileConversion &file : files) {
    if (!file.error.empty() || file.converted == file.original) continue;
    for (const std::string &needed : file.depends_on) {
      const FileConversion *other = by_input[needed];
      if (other != nullptr && other->error.empty() && other->converted != other->original)
        continue;
      LeaveUnconverted(file, needed + ", which registers its tasks, is left unconverted");
      changed = true;
      break;
    }
  }
  return changed;
}

// A header's new text holds the edits of every file that edited it. When one of those
// files is left unconverted, the header is not written, so the others, which need
// their part of it, are left unconverted too; so are the files that need another
// file's registrations.
void LeaveSharersUnconverted(std::vector<FileConversion> &files) {
  std::map<std::string, FileConversion *> by_input;
  for (FileConversion &file : files) by_input[file.input] = &file;
  auto unconverted = [](const FileConversion *file) {
    return file == nullptr || !file->error.empty() || file->converted == file->original;
  };
  for (bool changed = true; changed;) {
    changed = LeaveDependentsUnconverted(files, by_input);
    for (FileConversion &carrier : files) {
      for (size_t h = 0; h < carrier.headers.size() && !changed; ++h) {
        // Copies: leaving the carrier unconverted clears its headers.
        const std::vector<std::string> editors = carrier.headers[h].edited_by;
        const std::string source = carrier.headers[h].source;
        std::string gone;
        for (const std::string &editor : editors) {
          if (unconverted(by_input[editor])) gone = editor;
        }
        if (gone.empty()) continue;
        for (const std::string &editor : editors) {
          FileConversion *file = by_input[editor];
          if (unconverted(file)) continue;
          LeaveUnconverted(*file, "it edits " + source + " together with " + gone +
                                      ", which is left unconverted");
          changed = true;
        }
      }
    }
  }
}

// Checks every converted file compiles; prints what the check cost.
void CheckConvertedFilesCompile(std::vector<FileConversion> &files,
                                const ConvertOptions &options, int jobs) {
  std::vector<size_t> converted;
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i].error.empty() && files[i].converted != files[i].original) {
      converted.push_back(i);
    }
  }
  if (converted.empty()) return;
  auto start = std::chrono::steady_clock::now();
  // A header is written with the file that edited it first, but every file of the run
  // that includes it is compiled against its new text.
  std::vector<std::pair<std::string, std::string>> headers;
  for (const FileConversion &file : files) {
    for (const HeaderOutput &header : file.headers) {
      headers.emplace_back(header.source, header.converted);
    }
  }
  std::vector<std::string> errors(converted.size());
  CheckSession session(RuntimeIncludeDir(), options.compile_commands_dir,
                       options.extra_args);
  ParallelFor(converted.size(), jobs, [&](size_t k) {
    FileConversion &file = files[converted[k]];
    CompileCheck check{file.input, file.converted, headers};
    try {
      errors[k] = session.FirstCompileError(check);
    } catch (const std::exception &e) {
      errors[k] = e.what();
    }
  });
  for (size_t k = 0; k < converted.size(); ++k) {
    if (errors[k].empty()) continue;
    FileConversion &file = files[converted[k]];
    std::cerr << "rayify: warning: " << file.input
              << ": the converted file would not compile, so it is left unconverted: "
              << errors[k] << "\n";
    LeaveUnconverted(file, errors[k]);
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char cost[160];
  std::snprintf(cost, sizeof(cost),
                "rayify: compile check of %zu converted file(s): %.2f s "
                "(--no-compile-check skips it)\n",
                converted.size(), seconds);
  std::cerr << cost;
}

bool HasFailure(const std::vector<FileConversion> &files) {
  for (const auto &file : files) {
    if (!file.error.empty()) return true;
  }
  return false;
}

void StageReport(const std::string &path, const std::vector<FileConversion> &files,
                 StagedFiles &staged) {
  if (path.empty()) return;
  MakeDirectories(Directory(path));
  staged.Stage(path, JsonReport(files));
}

// output/CMakeLists.txt builds every program there against either backend. A
// CMakeLists.txt that rayify did not write is left alone.
void StageBuildFile(const std::string &output_dir, const Templates &templates,
                    StagedFiles &staged) {
  std::string path = output_dir + "/CMakeLists.txt";
  if (access(path.c_str(), F_OK) == 0 &&
      ReadFile(path).find(kGeneratedBuildMarker) == std::string::npos) {
    std::cerr << "rayify: note: " << path
              << " was not written by rayify; left as it is\n";
    return;
  }
  staged.Stage(
      path, FillTemplate(templates.cmake, {{"RUNTIME_PACKAGE_DIR", RuntimePackageDir()}},
                         "CMakeLists.txt.in"));
}

// A file that changed on disk since it was read fails instead of being overwritten.
void RefuseChanged(const std::vector<std::string> &changed,
                   std::vector<FileConversion> &files) {
  for (const std::string &path : changed) {
    for (FileConversion &file : files) {
      bool touches = file.output == path;
      for (const HeaderOutput &header : file.headers) touches |= header.output == path;
      if (!touches) continue;
      file.error = path +
                   " changed on disk while rayify worked on it; it was left as "
                   "it is (run convert again)";
      std::cerr << "rayify: error: " << file.input << ": " << file.error << "\n";
    }
  }
}

// Every output, the build file and the report, written all or nothing. In place, only
// files that change are written, each only if it still holds the text rayify read.
void WriteOutputs(const ConvertOptions &options, const ConvertJob &job,
                  std::vector<FileConversion> &files, const Templates &templates) {
  const bool in_place = job.layout.kind == OutputLayout::Kind::kInPlace;
  StagedFiles staged;
  bool any_converted = false;
  auto stage = [&](const std::string &path, const std::string &original,
                   const std::string &converted) {
    if (in_place) {
      if (converted != original) staged.Stage(path, converted, original);
      return;
    }
    MakeDirectories(Directory(path));
    staged.Stage(path, converted);
  };
  for (const auto &file : files) {
    if (!file.error.empty()) continue;
    stage(file.output, file.original, file.converted);
    for (const HeaderOutput &header : file.headers) {
      stage(header.output, header.original, header.converted);
    }
    any_converted = any_converted || file.converted != file.original;
  }
  if (any_converted && job.layout.kind == OutputLayout::Kind::kByName) {
    StageBuildFile(job.layout.output_dir, templates, staged);
  }
  StageReport(options.report_file, files, staged);
  RefuseChanged(staged.Commit(), files);
  if (any_converted && job.layout.kind != OutputLayout::Kind::kByName) {
    std::cerr << "rayify: note: link the targets that use converted files with the "
                 "runtime: find_package(rayify_runtime) and rayify::runtime "
                 "(resources/install.md)\n";
  }
}

// The whole change as one unified diff. For a project, paths are relative to its root
// with git's a/ and b/ prefixes, so `git apply` run there takes it.
bool PrintDiff(const ConvertJob &job, const std::vector<FileConversion> &files,
               bool print) {
  bool would_change = false;
  auto diff = [&](const std::string &original, const std::string &converted,
                  const std::string &source, const std::string &output) {
    std::string before = source, after = output;
    if (job.layout.kind != OutputLayout::Kind::kByName) {
      before = "a/" + job.layout.DiffName(source);
      after = "b/" + job.layout.DiffName(source);
    }
    std::string text = UnifiedDiff(original, converted, before, after);
    would_change = would_change || !text.empty();
    if (print) std::cout << text;
  };
  for (const auto &file : files) {
    if (!file.error.empty()) continue;
    diff(file.original, file.converted, file.input, file.output);
    for (const HeaderOutput &header : file.headers) {
      diff(header.original, header.converted, header.source, header.output);
    }
  }
  return would_change;
}

bool PrepareJob(const ConvertOptions &options, ConvertJob &job) {
  if (options.inputs.empty()) {
    if (!SelectBatch(options, job)) return false;
  } else {
    if (!CheckInputFiles(options.inputs)) return false;
    job.inputs = options.inputs;
  }
  return ChooseLayout(options, job) && PlanOutputs(job) && CheckPaths(options, job);
}

int ConvertJobFiles(const ConvertOptions &options, ConvertJob &job,
                    std::vector<FileConversion> &files, Templates *loaded,
                    const PassRegistry *passes) {
  if (!PrepareJob(options, job)) return kExitUsage;
  ConvertRequest request;
  request.inputs = job.inputs;
  request.compile_commands_dir = options.compile_commands_dir;
  request.extra_args = options.extra_args;
  request.passes = passes;
  Templates templates;
  try {
    templates = LoadTemplates(options.templates_dir.empty() ? DefaultTemplatesDir()
                                                            : options.templates_dir);
  } catch (const std::exception &e) {
    Error(e.what());
    return kExitUsage;
  }
  if (loaded != nullptr) *loaded = templates;
  std::vector<Settings> settings;
  if (!ResolveSettings(job.inputs, options.config_file, settings)) return kExitUsage;
  int jobs = options.jobs > 0 ? options.jobs
                              : static_cast<int>(std::thread::hardware_concurrency());
  if (job.inputs.size() > 1) {
    std::cerr << "rayify: converting " << job.inputs.size() << " files with "
              << std::min<size_t>(std::max(jobs, 1), job.inputs.size()) << " job(s)\n";
  }
  // Several units of one database are one project: calls between them are judged
  // with each other's summaries. A file given alone keeps its callees unseen.
  ProjectSummaries first_pass;
  bool project = !request.compile_commands_dir.empty() && job.inputs.size() > 1;
  if (project) request.project = &first_pass;
  request.whole_program = project && job.whole_program;
  std::vector<Plan> plans = PlanAll(request, settings, jobs);
  if (project) PlanAcrossUnits(request, settings, jobs, job.whole_program, plans);
  files = RealizePlans(plans, job.outputs, templates, job.layout);
  if (options.compile_check) CheckConvertedFilesCompile(files, options, jobs);
  LeaveSharersUnconverted(files);
  return -1;
}

}  // namespace

int ConvertFiles(const ConvertOptions &options, std::vector<FileConversion> &files,
                 Templates *loaded, const PassRegistry *passes) {
  ConvertJob job;
  return ConvertJobFiles(options, job, files, loaded, passes);
}

int RunConvert(const ConvertOptions &options, const PassRegistry *passes) {
  std::vector<FileConversion> files;
  Templates templates;
  ConvertJob job;
  int early = ConvertJobFiles(options, job, files, &templates, passes);
  if (early >= 0) return early;
  bool would_change = false;
  try {
    if (options.dry_run || options.check) {
      would_change = PrintDiff(job, files, options.dry_run);
      StagedFiles staged;
      StageReport(options.report_file, files, staged);
      staged.Commit();
    } else {
      WriteOutputs(options, job, files, templates);
    }
  } catch (const std::exception &e) {
    Error(e.what());
    return kExitUsage;
  }
  std::cerr << (job.batch ? BatchSummary(files) : TextSummary(files));
  if (HasFailure(files)) return kExitUsage;
  return options.check && would_change ? kExitFindings : kExitClean;
}

}  // namespace rayify

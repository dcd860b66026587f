#include "conversions/OutlinedLoop.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/QualTypeNames.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <set>

#include "analysis/CostModel.h"
#include "analysis/DataMovement.h"
#include "analysis/DeclNames.h"
#include "analysis/LocalBlocks.h"
#include "analysis/PrivateValues.h"
#include "analysis/ResourceAnnotation.h"
#include "analysis/Serializability.h"
#include "analysis/WorkEstimate.h"
#include "analysis/Writes.h"
#include "conversions/FirstChunkHere.h"
#include "conversions/StoredRefs.h"
#include "conversions/TaskLoopEmitter.h"

namespace rayify {
namespace {

using namespace clang;

Refusal Unsupported(std::string message) {
  return Refusal{SkipReason::kUnsupportedShape, std::move(message)};
}

// A type the generated function, at namespace scope, could not name.
bool DeclaredInFunction(QualType type) {
  type = type.getNonReferenceType().getCanonicalType();
  while (type->isArrayType() || type->isPointerType()) {
    type = type->isPointerType() ? type->getPointeeType()
                                 : QualType(type->getArrayElementTypeNoTypeQual(), 0);
  }
  const auto *tag = type->getAsTagDecl();
  if (tag == nullptr) return false;
  if (tag->getDeclContext()->isFunctionOrMethod()) return true;
  if (const auto *spec = dyn_cast<ClassTemplateSpecializationDecl>(tag)) {
    for (const TemplateArgument &arg : spec->getTemplateArgs().asArray()) {
      if (arg.getKind() == TemplateArgument::Type &&
          DeclaredInFunction(arg.getAsType())) {
        return true;
      }
    }
  }
  return false;
}

// The lambda `var` is set to, when it captures nothing and nothing in it names what
// only its function can see (a local, a static local, a local type): a function with
// no state, which a task can declare again from its text (`auto f = [](double x) {
// ... };` in main, called by the loop). Null otherwise.
const LambdaExpr *StatelessLocalLambda(const VarDecl *var) {
  if (!var->hasLocalStorage() || var->getType()->isReferenceType() ||
      var->getInit() == nullptr)
    return nullptr;
  const Expr *init = var->getInit()->IgnoreImplicit();
  if (const auto *copy = dyn_cast<CXXConstructExpr>(init);
      copy && copy->getNumArgs() == 1)
    init = copy->getArg(0)->IgnoreImplicit();
  const auto *lambda = dyn_cast<LambdaExpr>(init);
  if (lambda == nullptr || lambda->capture_size() != 0 ||
      lambda->getBeginLoc().isMacroID() || lambda->getEndLoc().isMacroID())
    return nullptr;
  const CXXMethodDecl *call = lambda->getCallOperator();
  if (DeclaredInFunction(call->getReturnType())) return nullptr;
  for (const ParmVarDecl *param : call->parameters()) {
    if (DeclaredInFunction(param->getType())) return nullptr;
  }
  bool local = false;
  std::function<void(const Stmt *)> visit = [&](const Stmt *stmt) {
    if (stmt == nullptr || local) return;
    if (const auto *expr = dyn_cast<Expr>(stmt);
        expr && DeclaredInFunction(expr->getType()))
      local = true;
    if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) {
      const Decl *named = ref->getDecl();
      const DeclContext *where = named->getDeclContext();
      if (named->getParentFunctionOrMethod() != nullptr && !call->Encloses(where) &&
          where != call)
        local = true;
    }
    if (isa<CXXThisExpr>(stmt)) local = true;
    for (const Stmt *child : stmt->children()) visit(child);
  };
  visit(lambda->getBody());
  return local ? nullptr : lambda;
}

// The largest private array a task declares on its stack, in bytes.
constexpr long long kLargestStackArray = 64 * 1024;

// What a task calls to append one run of values to its result. Out of line and by
// value on purpose: a value computed in a register (a sum) that stays live across
// the vector's growth is what GCC's register allocator keeps in memory instead,
// with a store and a load on every step of the loop computing it.
constexpr const char *kAppend = "rayify_append";
constexpr const char *kAppendDefinition =
    "// Appends one run of values to what a task returns. Growing the list is out of\n"
    "// line, taking the values by value, so that a sum computed in a register stays\n"
    "// there while it is computed; the common case, room left, is a store.\n"
    "template <typename Results, typename... Values>\n"
    "__attribute__((noinline)) static void rayify_append_grown(Results &results,\n"
    "                                                           Values... values) {\n"
    "  results.emplace_back(std::move(values)...);\n"
    "}\n"
    "template <typename Results, typename... Values>\n"
    "static inline void rayify_append(Results &results, Values... values) {\n"
    "  if (__builtin_expect(results.size() < results.capacity(), 1))\n"
    "    results.emplace_back(std::move(values)...);\n"
    "  else\n"
    "    rayify_append_grown(results, std::move(values)...);\n"
    "}\n";

constexpr const char *kRows = "rayify_rows";
constexpr const char *kRowsDefinition =
    "// The rows of a flattened block a task was sent, reached at the block's own\n"
    "// indices: element k of the block is element k - first of `data`.\n"
    "template <typename T>\n"
    "struct rayify_rows {\n"
    "  T *data;\n"
    "  std::size_t first;\n"
    "  T &operator[](long long k) const { return data[k - static_cast<long "
    "long>(first)]; }\n"
    "};\n"
    "\n"
    "// Where row `row` of `width` elements starts in a block of `count`, within the\n"
    "// block: the rows of iterations [first, last) are [start(first), start(last)).\n"
    "static std::size_t rayify_row_start(long long row, long long width, std::size_t "
    "count) {\n"
    "  if (width <= 0 || row <= 0) return 0;\n"
    "  if (row > static_cast<long long>(count) / width) return count;\n"
    "  return static_cast<std::size_t>(row * width);\n"
    "}\n";

// Types, aliases and using-directives of the function's own, declared before the loop
// ends: the body may need them and the generated function would not see them.
const Decl *LocalDeclaration(const Stmt *stmt, const Stmt *loop,
                             const SourceManager &sources) {
  if (stmt == nullptr) return nullptr;
  if (const auto *decls = dyn_cast<DeclStmt>(stmt)) {
    for (const Decl *decl : decls->decls()) {
      if (!isa<VarDecl>(decl) &&
          sources.isBeforeInTranslationUnit(decl->getLocation(), loop->getEndLoc()) &&
          !LocatedWithin(decl->getLocation(), loop, sources)) {
        return decl;
      }
    }
  }
  for (const Stmt *child : stmt->children()) {
    if (const Decl *found = LocalDeclaration(child, loop, sources)) return found;
  }
  return nullptr;
}

// Finds a variable of the function, declared outside the loop, that the loop names
// only inside a type (`decltype(scale) y`, `decltype(v[i] + 0) y`): such a name is
// neither sent to the task nor renamed in it, so the task could not be compiled.
class NamedInType : public RecursiveASTVisitor<NamedInType> {
 public:
  NamedInType(const Stmt *loop, const SourceManager &sources)
      : loop_(loop), sources_(sources) {}

  const VarDecl *Find() {
    TraverseStmt(const_cast<Stmt *>(loop_));
    return found_;
  }

  bool TraverseDecltypeTypeLoc(DecltypeTypeLoc loc) {
    ++in_type_;
    bool more = RecursiveASTVisitor::TraverseDecltypeTypeLoc(loc);
    --in_type_;
    return more;
  }

  bool TraverseTypeOfExprTypeLoc(TypeOfExprTypeLoc loc) {
    ++in_type_;
    bool more = RecursiveASTVisitor::TraverseTypeOfExprTypeLoc(loc);
    --in_type_;
    return more;
  }

  bool VisitDeclRefExpr(DeclRefExpr *ref) {
    const auto *var = dyn_cast<VarDecl>(ref->getDecl());
    if (in_type_ == 0 || var == nullptr || !var->getDeclContext()->isFunctionOrMethod() ||
        DeclaredWithin(var, loop_, sources_)) {
      return true;
    }
    found_ = var;
    return false;
  }

 private:
  const Stmt *loop_;
  const SourceManager &sources_;
  const VarDecl *found_ = nullptr;
  int in_type_ = 0;
};

struct Field {
  std::string name;
  std::string type;
};

class Outliner {
 public:
  Outliner(const Stmt *loop, const Stmt *parent, const FunctionDecl *function,
           const IterationPlan &plan, const OutlineOptions &options,
           TranslationUnit &unit)
      : options_(options),
        loop_(loop),
        body_(LoopBody(loop)),
        parent_(parent),
        function_(function),
        plan_(plan),
        unit_(unit),
        edits_(unit.edits.Main()) {}

  std::optional<Refusal> Check() {
    if (function_->isTemplated()) {
      return Unsupported("loops of templates are not outlined into tasks.");
    }
    if (!isa<CompoundStmt>(parent_)) {
      return Unsupported(
          "the loop is not directly inside a block, so the task "
          "references have no place to be declared.");
    }
    const SourceManager &sources = unit_.context.getSourceManager();
    if (const Decl *local = LocalDeclaration(function_->getBody(), loop_, sources)) {
      std::string name =
          isa<NamedDecl>(local) ? cast<NamedDecl>(local)->getNameAsString() : "";
      return Unsupported(
          function_->getNameAsString() + "() declares " +
          (name.empty() ? std::string("a type or using-directive") : "'" + name + "'") +
          " of its own, which a function outside it would not see.");
    }
    if (const VarDecl *named = NamedInType(loop_, sources).Find()) {
      return Unsupported("the loop names '" + Name(named) +
                         "' inside a type (decltype), where the task could not see it.");
    }
    for (const VarDecl *global : plan_.restored) {
      if (!sources.isBeforeInTranslationUnit(global->getLocation(),
                                             function_->getSourceRange().getBegin())) {
        return Refusal{SkipReason::kGlobalRead,
                       "a function the loop calls reads '" + Name(global) +
                           "', which the program changes and declares only after " +
                           function_->getNameAsString() +
                           "(): the task, defined before it, cannot name the global to "
                           "give it the driver's value."};
      }
    }
    bool results = HasSlices() || !plan_.copied.empty() ||
                   std::any_of(plan_.updates.begin(), plan_.updates.end(),
                               [](const UpdateStatement &update) {
                                 return update.replayed == nullptr;
                               });
    if (!results && !plan_.updates.empty()) {
      // `{ step(i); timer_start(1); }`, step() keeping nothing: the driver would
      // make every call that matters itself. (ReplayedCalls already leaves a body
      // of nothing but such calls to the task, which CheckLoopSafety refuses.)
      const FunctionDecl *callee = plan_.updates.front().replayed;
      return Refusal{SkipReason::kGlobalWrite,
                     callee->getNameAsString() + "() " +
                         unit_.effects.OfFunction(callee).global_write +
                         ", and the loop does nothing else, so there is no work for a "
                         "task; a task would change its own process's copy, not the "
                         "driver's."};
    }
    if (!results) {
      // Writes through a pointer declared before the loop are results too, ones no
      // task can send back: named even when a private counter is written first.
      const VarDecl *through = FirstWrittenVariable(body_, [&](const VarDecl *var) {
        return var->getType()->isPointerType() && !DeclaredWithin(var, loop_, sources);
      });
      if (through != nullptr) {
        return Unsupported("the loop writes through '" + Name(through) +
                           "', a pointer: a task could not send back what it changes.");
      }
      return Unsupported(
          "the iterations keep no result: the loop changes nothing a "
          "task could return.");
    }
    if (auto refusal = CheckIteration()) return refusal;
    for (const VarDecl *sent : Sent()) {
      if (auto refusal = CheckValue(sent, sent->getType())) return refusal;
    }
    for (const OwnElement &element : plan_.elements) {
      if (auto refusal = CheckElement(element)) return refusal;
    }
    for (const UpdateStatement &update : plan_.updates) {
      for (const Expr *part : update.parts) {
        if (auto refusal = CheckPart(part)) return refusal;
      }
    }
    return std::nullopt;
  }

  void Emit(LoopConversion &conversion) {
    std::string base = GeneratedNameBase(function_) + "_loop_" +
                       std::to_string(edits_.Line(loop_->getBeginLoc()));
    name_ = unit_.edits.UniqueName(base);
    result_type_ = unit_.edits.UniqueName(name_ + "_result");
    result_ = unit_.edits.UniqueName("iteration_result");
    if (options_.chunked) {
      range_ = ChunkableRange(loop_, unit_.context);
      chunk_name_ = unit_.edits.UniqueName(name_ + "_chunk");
      unit_.extra_includes.insert("algorithm");
      unit_.extra_includes.insert("thread");
    }
    FixCaptures();
    NameFields();
    for (const VarDecl *capture : Sent()) {
      if (!Boxed(capture)) continue;
      boxes_[capture] = unit_.edits.UniqueName(name_ + "_" + Name(capture) + "_array");
      box_parameters_[capture] = unit_.edits.UniqueName(Name(capture) + "_sent");
      unit_.extra_includes.insert("cstring");
      unit_.extra_includes.insert("memory");
    }
    for (const VarDecl *capture : Sent()) {
      if (!Blocked(capture)) continue;
      block_parameters_[capture] = unit_.edits.UniqueName(Name(capture) + "_sent");
      unit_.extra_includes.insert("vector");
    }
    for (const VarDecl *global : plan_.restored) {
      unit_.extra_includes.insert("cstring");
      // Named apart from the global, which the task must still reach by its own name.
      if (!Boxed(global) && !IsCapture(global))
        restored_parameters_[global] = unit_.edits.UniqueName(Name(global) + "_sent");
    }
    layout_ = LayoutOf(loop_, body_, parent_, edits_);
    edits_.Insert(DefinitionStart(function_, edits_),
                  BesideDefinition(function_, GeneratedCode()));
    if (range_) {
      EmitChunkedDriver(conversion);
    } else {
      EmitDriver(conversion);
    }
    unit_.remote_functions.push_back(
        QualifiedBeside(function_, range_ ? chunk_name_ : name_));
    unit_.needs_define.insert(needs_define_.begin(), needs_define_.end());
    conversion.kind = "task";
    conversion.function = name_;
    conversion.outlined = true;
    if (range_) conversion.chunk_function = chunk_name_;
    conversion.resources = options_.resources;
    std::set<const VarDecl *> named;
    for (const UpdateStatement &update : plan_.updates) {
      for (const VarDecl *target : update.targets) {
        if (!named.insert(target).second) continue;
        conversion.variable +=
            (conversion.variable.empty() ? "" : ", ") + target->getNameAsString();
      }
    }
    std::set<const VarDecl *> sliced;
    for (const OwnSlice &slice : plan_.slices) {
      conversion.variable += (conversion.variable.empty() ? "" : ", ") + Name(slice.var);
      sliced.insert(slice.var);
    }
    for (const OwnElement &element : plan_.elements) {
      conversion.variable +=
          (conversion.variable.empty() ? "" : ", ") + Name(element.var);
      sliced.insert(element.var);
    }
    for (const OwnRows &rows : plan_.rows) {
      conversion.variable += (conversion.variable.empty() ? "" : ", ") + Name(rows.var);
      sliced.insert(rows.var);
    }
    if (plan_.walked != nullptr)
      conversion.variable +=
          (conversion.variable.empty() ? "" : ", ") + Name(plan_.walked);
    // What each iteration sends back, as the cost model weighed it.
    for (const MovedData &data :
         EstimateMovedData(loop_, plan_, unit_.effects, unit_.Mutations(), unit_.context,
                           unit_.calls)) {
      if (!data.per_iteration) continue;
      (sliced.count(data.var) != 0 ? conversion.slice_bytes
                                   : conversion.returned_bytes)[Name(data.var)] =
          static_cast<long long>(data.bytes);
    }
  }

 private:
  bool HasSlices() const {
    return !plan_.slices.empty() || !plan_.elements.empty() || !plan_.rows.empty() ||
           plan_.walked != nullptr;
  }

  // The element travels both ways; where some iteration may not reach it, the driver
  // sends a default-made one in its place.
  std::optional<Refusal> CheckElement(const OwnElement &element) {
    if (auto refusal = CheckValue(element.var, element.type)) return refusal;
    if (element.always) return std::nullopt;
    if (element.var->getType()->isPointerType()) {
      return Unsupported("only some iterations reach '" + Name(element.var) + "[" +
                         Name(plan_.iteration) + "]', and the block '" +
                         Name(element.var) +
                         "' points to has no size the driver could check it against.");
    }
    if (options_.chunked) {
      return Unsupported("only some iterations reach '" + Name(element.var) + "[" +
                         Name(plan_.iteration) +
                         "]', so a chunk of iterations cannot be sent its elements "
                         "without reading past the end.");
    }
    const auto *record = element.type->getAsCXXRecordDecl();
    if (record != nullptr && !record->hasDefaultConstructor() &&
        !record->needsImplicitDefaultConstructor()) {
      return Unsupported("only some iterations reach '" + Name(element.var) + "[" +
                         Name(plan_.iteration) + "]', and its type has no default " +
                         "constructor to stand in where they do not.");
    }
    return std::nullopt;
  }

  // The type the iteration's variable is sent as: a range-for reference to an element
  // of a container that holds exactly its class is sent as a copy of that element,
  // which keeps the element's class (HoldsExactly).
  QualType IterationType() const {
    QualType type = plan_.iteration->getType();
    const auto *range = dyn_cast<CXXForRangeStmt>(loop_);
    if (range != nullptr && type->isReferenceType() &&
        HoldsExactly(range->getRangeInit()->getType(), type.getNonReferenceType()))
      return type.getNonReferenceType();
    return type;
  }

  // The iteration's variable, or each name its structured binding gives the element,
  // as the task is sent them.
  std::optional<Refusal> CheckIteration() {
    std::vector<const BindingDecl *> bindings = Bindings();
    if (bindings.empty()) return CheckValue(plan_.iteration, IterationType());
    for (const BindingDecl *binding : bindings) {
      if (auto refusal = CheckSendable(binding->getNameAsString(), binding->getType()))
        return refusal;
    }
    return std::nullopt;
  }

  // A value of `type` the task is sent as `name`: not a pointer or an array (`why`
  // says why a pointer is none of the blocks rayify sends), and of a type that can be
  // named outside the function and sent.
  std::optional<Refusal> CheckSendable(const std::string &name, QualType type,
                                       const std::string &why = "") {
    QualType value = type.getNonReferenceType();
    if (value->isPointerType() || value->isArrayType()) {
      return Refusal{SkipReason::kNonSerializable,
                     "the loop reads '" + name + "', " +
                         (value->isPointerType() ? "a pointer" : "an array") +
                         ", which cannot be sent to a task" + why + "."};
    }
    if (DeclaredInFunction(value)) {
      return Unsupported("the type of '" + name + "' is declared inside " +
                         function_->getNameAsString() +
                         "(), so a function outside it cannot name it.");
    }
    std::string unsendable;
    if (!unit_.serializability.Check(type, unsendable, needs_define_)) {
      return Refusal{SkipReason::kNonSerializable,
                     "the loop reads '" + name + "': " + unsendable + "."};
    }
    return std::nullopt;
  }

  std::optional<Refusal> CheckValue(const VarDecl *var, QualType type) {
    std::string name = var->getNameAsString();
    QualType value = type.getNonReferenceType();
    if (Boxed(var) || Blocked(var)) return std::nullopt;
    // A local pointer that is no LocalBlock: say what stopped it being one.
    std::string why;
    if (value->isPointerType() && var->hasLocalStorage() && !isa<ParmVarDecl>(var) &&
        !LocalBlockAt(var, loop_, unit_.context, &why)) {
      why = " ('" + name + "' " + why + ", so it stands for no block rayify could send)";
    }
    return CheckSendable(name, type, why);
  }

  // `double[4][8]` for a declaration of `name`: `double name[4][8]`.
  std::string ArrayDeclaration(QualType type, const std::string &name) const {
    std::string dims;
    QualType element = type.getCanonicalType();
    while (const auto *array = dyn_cast<ConstantArrayType>(element.getTypePtr())) {
      dims += "[" + std::to_string(array->getSize().getZExtValue()) + "]";
      element = array->getElementType();
    }
    return TypeOf(element) + " " + name + dims;
  }

  // The task's own copy of a private variable. An array larger than
  // kLargestStackArray goes on the heap: a task's thread may have a small stack (a
  // global scratch block, NPB's `x`, is a megabyte). It is not zeroed there: a
  // private is written before anything reads it in every iteration, and zeroing NPB
  // EP's `x` for each of its 256 iterations wrote 256 MB no one read.
  std::string PrivateDeclaration(const VarDecl *var) const {
    const std::string &step = layout_.step;
    std::optional<QualType> array = ScratchArrayType(var);
    if (!array) return step + TypeOf(var->getType()) + " " + Name(var) + "{};\n";
    auto own = own_arrays_.find(var);  // named for the heap when it is large
    if (own == own_arrays_.end())
      return step + ArrayDeclaration(*array, Name(var)) + "{};\n";
    std::string dims = ArrayDeclaration(*array, "");
    std::string element =
        dims.substr(0, dims.find_last_not_of(' ', dims.find('[') - 1) + 1);
    dims = dims.substr(dims.find('['));
    return step + "std::unique_ptr<" + element + "[]" + dims + "> " + own->second +
           "(new " + element + "[1]" + dims + ");\n" + step + "auto &" + Name(var) +
           " = " + own->second + "[0];\n";
  }

  // What the task receives besides its iteration: what it reads, then the arrays it
  // updates slice by slice.
  std::vector<const VarDecl *> Sent() const {
    std::vector<const VarDecl *> sent;
    for (const VarDecl *capture : plan_.captures) {
      if (fixed_.count(capture) == 0 && StatelessLocalLambda(capture) == nullptr)
        sent.push_back(capture);
    }
    for (const VarDecl *global : plan_.restored) {
      if (std::find(sent.begin(), sent.end(), global) == sent.end())
        sent.push_back(global);
    }
    for (const OwnSlice &slice : plan_.slices) sent.push_back(slice.var);
    return sent;
  }

  // Sizes passed down as parameters but fixed in the source (`kernel(ni, ...)` with
  // main's `int ni = NI;`) are constants in the original once the compiler inlines the
  // kernel; a task sent them would count its loops at run time, and GCC at -O2
  // vectorizes only loops whose counts it knows fit: PolyBench's 2mm ran its tasks
  // 1.6x slower than the original's loop. The task declares them as constants.
  void FixCaptures() {
    for (const VarDecl *capture : plan_.captures) {
      QualType type = capture->getType();
      if (Boxed(capture) || !type->isIntegerType() || type->isEnumeralType() ||
          std::find(plan_.restored.begin(), plan_.restored.end(), capture) !=
              plan_.restored.end())
        continue;
      std::optional<long long> value = FixedValue(capture, unit_.context, unit_.calls);
      if (value && *value != std::numeric_limits<long long>::min())
        fixed_[capture] = *value;
    }
  }

  // `const int nj = 900;` for each fixed capture, and each stateless lambda again.
  std::string FixedDeclarations() const {
    std::string code;
    for (const VarDecl *capture : plan_.captures) {
      if (const LambdaExpr *lambda = StatelessLocalLambda(capture)) {
        code += layout_.step + "auto " + Name(capture) + " = " +
                edits_.Text(lambda->getSourceRange()) +
                ";  // as the loop's function has it\n";
        continue;
      }
      auto fixed = fixed_.find(capture);
      if (fixed == fixed_.end()) continue;
      code += layout_.step + "const " + TypeOf(capture->getType().getUnqualifiedType()) +
              " " + Name(capture) + " = " + std::to_string(fixed->second) +
              ";  // as every run of the loop has it\n";
    }
    return code;
  }

  // The driver's value of each global the callees read goes into the task's process
  // before the iteration runs. Compared first: where tasks share the driver's process
  // the bytes are the same, and nothing is written that another thread may be reading.
  std::string RestoredGlobals() const {
    if (plan_.restored.empty()) return "";
    std::string names;
    for (const VarDecl *global : plan_.restored)
      names += (names.empty() ? "'" : ", '") + Name(global) + "'";
    const std::string &step = layout_.step;
    std::string code = step + "// The driver's " + names + ", which the functions the " +
                       "loop calls read.\n";
    for (const VarDecl *global : plan_.restored) {
      std::string name = GlobalName(global);
      std::string sent = ParameterName(global);
      std::string to = Boxed(global) ? name : "&" + name;
      std::string from = Boxed(global) ? sent + ".value" : "&" + sent;
      std::string size = "sizeof " + (Boxed(global) ? sent + ".value" : sent);
      code += step + "if (std::memcmp(" + to + ", " + from + ", " + size + ") != 0)\n" +
              step + step + "std::memcpy(" + to + ", " + from + ", " + size + ");\n";
    }
    return code;
  }

  // An OwnSlice in bytes: the array is `rows` blocks of `extent` sub-arrays of
  // `bytes` each, and iteration i owns sub-array i of every block.
  struct SliceGeometry {
    std::string element;
    unsigned long long rows = 1, extent = 0, bytes = 0;
  };

  SliceGeometry Geometry(const OwnSlice &slice) const {
    SliceGeometry geometry;
    QualType element = SentArrayType(slice.var, unit_.Mutations())->getCanonicalType();
    std::vector<unsigned long long> dims;
    while (const auto *array = dyn_cast<ConstantArrayType>(element.getTypePtr())) {
      dims.push_back(array->getSize().getZExtValue());
      element = array->getElementType();
    }
    geometry.element = TypeOf(element);
    geometry.bytes = unit_.context.getTypeSizeInChars(element).getQuantity();
    for (size_t d = 0; d < dims.size(); ++d) {
      if (static_cast<int>(d) < slice.position) geometry.rows *= dims[d];
      if (static_cast<int>(d) == slice.position) geometry.extent = dims[d];
      if (static_cast<int>(d) > slice.position) geometry.bytes *= dims[d];
    }
    return geometry;
  }

  // Copies iteration `at`'s slice of `slice` between two places: `to` and `from` are
  // the arrays (or, with `packed`, the slice alone, its blocks one after the other).
  std::string SliceCopy(const OwnSlice &slice, const std::string &to,
                        const std::string &from, const std::string &at,
                        const std::string &indent, bool to_packed,
                        bool from_packed) const {
    SliceGeometry geometry = Geometry(slice);
    auto address = [&](const std::string &array, bool packed, bool writable) {
      if (geometry.rows == 1 && !packed) return "&" + array + "[" + at + "]";
      if (geometry.rows == 1) return array + ".data()";
      std::string row =
          "(" + slice_row_ +
          (packed ? "" : " * " + std::to_string(geometry.extent) + " + " + at) + ")";
      std::string base = packed ? array + ".data()" : "&" + array + "[0]";
      return std::string("reinterpret_cast<") + (writable ? "char" : "const char") +
             " *>(" + base + ") + " + row + " * " + std::to_string(geometry.bytes);
    };
    std::string copy = "std::memcpy(" + address(to, to_packed, true) + ", " +
                       address(from, from_packed, false) + ", " +
                       std::to_string(geometry.bytes) + ");\n";
    if (geometry.rows == 1) return indent + copy;
    return indent + "for (std::size_t " + slice_row_ + " = 0; " + slice_row_ + " < " +
           std::to_string(geometry.rows) + "; ++" + slice_row_ + ")\n" + indent +
           layout_.step + copy;
  }

  // The task's own copy of an array it updates slice by slice: its slice as the loop
  // found it; the other elements it never touches.
  std::string SliceCopyIn(const OwnSlice &slice) const {
    const std::string &step = layout_.step;
    std::string name = Name(slice.var);
    std::string own = own_arrays_.at(slice.var);
    const std::string &box = boxes_.at(slice.var);
    return step + "// '" + name +
           "': this iteration's own slice, as the loop found it.\n" + step +
           "std::unique_ptr<" + box + "> " + own + "(new " + box + ");\n" + step +
           "auto &" + name + " = " + own + "->value;\n" +
           SliceCopy(slice, name, ParameterName(slice.var) + ".value",
                     Name(plan_.iteration), step, false, false);
  }

  // The slice goes back in the result.
  std::string SliceCopyOut(const OwnSlice &slice) const {
    SliceGeometry geometry = Geometry(slice);
    std::string field = result_ + "." + slice_fields_.at(slice.var);
    return layout_.step + field + ".resize(" +
           std::to_string(geometry.rows * geometry.bytes) + " / sizeof(" +
           geometry.element + "));\n" +
           SliceCopy(slice, field, Name(slice.var), Name(plan_.iteration), layout_.step,
                     true, false);
  }

  bool IsCopied(const VarDecl *var) const {
    return std::find(plan_.copied.begin(), plan_.copied.end(), var) != plan_.copied.end();
  }

  // The numbers a copied scratch array holds.
  std::string ElementType(const VarDecl *var) const {
    QualType array = SentArrayType(var, unit_.Mutations())->getCanonicalType();
    return TypeOf(unit_.context.getBaseElementType(array));
  }

  // The task's own copy of a scratch array (CopiedScratch.h): as the loop found it.
  std::string CopyIn(const VarDecl *var) const {
    const std::string &step = layout_.step;
    const std::string &box = boxes_.at(var);
    const std::string &own = own_arrays_.at(var);
    return step + "// '" + Name(var) +
           "': this task's own copy, as the loop found it.\n" + step +
           "std::unique_ptr<" + box + "> " + own + "(new " + box + "(" +
           ParameterName(var) + "));\n" + step + "auto &" + Name(var) + " = " + own +
           "->value;\n";
  }

  // The loop's last iteration sends its copy back: what the array holds after it.
  std::string CopyOut(const VarDecl *var) const {
    const std::string &step = layout_.step;
    std::string field = result_ + "." + slice_fields_.at(var);
    std::string element = ElementType(var);
    return step + "if (" + keep_last_ + ") {\n" + step + step + field +
           ".resize(sizeof " + Name(var) + " / sizeof(" + element + "));\n" + step +
           step + "std::memcpy(" + field + ".data(), &" + Name(var) + ", sizeof " +
           Name(var) + ");\n" + step + "}\n";
  }

  // Each line of `text` one `step` deeper.
  static std::string Indented(const std::string &text, const std::string &step) {
    std::string out;
    size_t start = 0;
    while (start < text.size()) {
      size_t newline = text.find('\n', start);
      size_t end = newline == std::string::npos ? text.size() : newline + 1;
      std::string line = text.substr(start, end - start);
      out += (line == "\n" ? "" : step) + line;
      start = end;
    }
    return out;
  }

  bool Boxed(const VarDecl *var) const {
    return SentArrayType(var, unit_.Mutations()).has_value();
  }

  // A local pointer to a block of a run-time size (LocalBlocks.h), or a parameter
  // every call gives main's pointer to one (BoundParameters.h), which the loop only
  // reads: a task receives a copy of the block as a std::vector.
  std::optional<LocalBlock> BlockOf(const VarDecl *var) const {
    return SentBlock(var, loop_, unit_.Mutations(), unit_.context);
  }
  bool Blocked(const VarDecl *var) const { return BlockOf(var).has_value(); }

  // The task's pointer into its copy of a block, named as the loop names the block.
  // Not const: the loop may hand it on as `double *`; the analysis found no write
  // through it (a write into the block makes it a result, never sent).
  std::string BlockView(const VarDecl *var) const {
    std::string element = TypeOf(BlockOf(var)->element);
    return layout_.step + element + " *" + Name(var) + " = const_cast<" + element +
           " *>(" + ParameterName(var) + ".data());\n";
  }

  // The name of the element count of a block, set once right after the statement
  // that makes the block, where the size expression means what it meant: a constant
  // of the function, or, for a function main hands the block to, a global main sets.
  std::string BlockCount(const LocalBlock &block) {
    const auto *owner =
        dyn_cast<FunctionDecl>(block.pointer->getParentFunctionOrMethod());
    bool here = owner->getCanonicalDecl() == function_->getCanonicalDecl();
    auto &counts = here ? unit_.block_counts : unit_.block_global_counts;
    auto known = counts.find(block.pointer);
    if (known != counts.end()) return known->second;
    std::string name = unit_.edits.UniqueName(
        (here ? "" : owner->getNameAsString() + "_") + Name(block.pointer) + "_count");
    auto text = [&](const Expr *expr) { return Grouped(expr); };
    std::string element = "sizeof(" + TypeOf(block.element) + ")";
    std::string count =
        block.bytes != nullptr
            ? text(block.bytes) + " / " + element
            : (block.size != nullptr
                   ? text(block.count) + " * " + text(block.size) + " / " + element
                   : edits_.Text(block.count->getSourceRange()));
    std::string indent = edits_.LineIndent(block.made->getBeginLoc());
    std::string what = "// How many elements '" + Name(block.pointer) + "' holds: ";
    if (here) {
      edits_.Insert(edits_.EndOfStatement(block.made),
                    "\n" + indent + what + "its tasks are sent a copy of them.\n" +
                        indent + "const std::size_t " + name +
                        " = static_cast<std::size_t>(" + count + ");");
    } else {
      // main is never called again, so no later block overwrites the count while an
      // earlier one is still in use.
      unit_.shared_definitions.emplace(
          name, what + "the tasks of functions " + owner->getNameAsString() +
                    "() hands it to are sent a copy.\nstatic std::size_t " + name +
                    " = 0;\n");
      edits_.Insert(edits_.EndOfStatement(block.made),
                    "\n" + indent + name + " = static_cast<std::size_t>(" + count + ");");
    }
    unit_.extra_includes.insert("cstddef");
    counts[block.pointer] = name;
    return name;
  }

  // What the task functions call a capture's parameter: a boxed array's box.
  std::string ParameterName(const VarDecl *var) const {
    if (Boxed(var)) return box_parameters_.at(var);
    if (Blocked(var)) return block_parameters_.at(var);
    auto restored = restored_parameters_.find(var);
    return restored != restored_parameters_.end() ? restored->second : Name(var);
  }

  bool IsCapture(const VarDecl *var) const {
    return std::find(plan_.captures.begin(), plan_.captures.end(), var) !=
           plan_.captures.end();
  }

  // The struct each boxed capture travels in.
  std::string BoxDefinitions() const {
    std::string code;
    for (const VarDecl *capture : Sent()) {
      if (!Boxed(capture)) continue;
      const std::string &box = boxes_.at(capture);
      code += "// '" + Name(capture) + "', a C array, as a task receives it.\n";
      code += "struct " + box + " {\n" + layout_.step +
              ArrayDeclaration(*SentArrayType(capture, unit_.Mutations()), "value") +
              ";\n" + layout_.step + "MSGPACK_DEFINE(value);\n" + layout_.step +
              "// Its one field, as encoded (lets rayify's runtime keep and read it as "
              "it is).\n" +
              layout_.step + "auto rayify_fields() { return std::tie(value); }\n};\n\n";
    }
    return code;
  }

  std::optional<Refusal> CheckPart(const Expr *part) {
    QualType type = PartType(part);
    std::string text = edits_.Text(part->getSourceRange());
    if (type->isPointerType() || type->isArrayType() || DeclaredInFunction(type) ||
        type->isDependentType()) {
      return Unsupported("'" + text + "' has a type a task cannot return.");
    }
    std::string why;
    if (!unit_.serializability.Check(type, why, needs_define_)) {
      return Refusal{SkipReason::kNonSerializable, "'" + text + "': " + why + "."};
    }
    return std::nullopt;
  }

  // A type as the generated code at namespace scope spells it.
  std::string TypeOf(QualType type) const {
    type = type.getNonReferenceType().getUnqualifiedType();
    // Member typedefs (`size_type`) mean nothing at namespace scope; `uint64_t` does.
    while (const auto *alias = type->getAs<TypedefType>()) {
      if (!alias->getDecl()->getDeclContext()->isRecord()) break;
      type = alias->desugar().getUnqualifiedType();
    }
    if (type->isBuiltinType() && !isa<TypedefType>(type.getTypePtr())) {
      type = type.getCanonicalType();
    }
    PrintingPolicy policy(unit_.context.getLangOpts());
    policy.SuppressTagKeyword = true;
    // A template's arguments may have lost their qualification in the sugar
    // (`std::vector<basic_string<char>>`): its canonical spelling names every part.
    const auto *record = type->getAsCXXRecordDecl();
    std::string text = record != nullptr && isa<ClassTemplateSpecializationDecl>(record)
                           ? type.getCanonicalType().getAsString(policy)
                           : TypeName::getFullyQualifiedName(type, unit_.context, policy);
    return ReadableStandardNames(text);
  }

  // The type a task's parameter takes a value of `type` as: TypeOf, but a map's
  // element, std::pair<const K, V>, as std::pair<K, V>, which msgpack can decode (it
  // cannot assign a const member) and which the element converts to.
  std::string SentTypeOf(QualType type) const {
    const auto *pair = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
        type.getNonReferenceType()->getAsCXXRecordDecl());
    if (pair == nullptr || !pair->isInStdNamespace() || pair->getName() != "pair" ||
        pair->getTemplateArgs().size() != 2)
      return TypeOf(type);
    QualType first = pair->getTemplateArgs()[0].getAsType();
    if (!first.isConstQualified()) return TypeOf(type);
    return "std::pair<" + TypeOf(first) + ", " +
           TypeOf(pair->getTemplateArgs()[1].getAsType()) + ">";
  }

  // `std::basic_string<char>` as people write it, and names an anonymous namespace
  // holds as the code around them sees them.
  static std::string ReadableStandardNames(std::string text) {
    const std::pair<std::string, std::string> spellings[] = {
        {"std::basic_string<char, std::char_traits<char>, std::allocator<char>>",
         "std::string"},
        {"std::basic_string<char>", "std::string"},
        {"(anonymous namespace)::", ""}};
    for (const auto &[long_form, short_form] : spellings) {
      for (size_t at = text.find(long_form); at != std::string::npos;
           at = text.find(long_form, at + short_form.size())) {
        text.replace(at, long_form.size(), short_form);
      }
    }
    return text;
  }

  // A number is returned as the task computed it and converted by the driver where
  // the original converted it; other values as the statement used them.
  static QualType PartType(const Expr *part) {
    QualType own = part->IgnoreImpCasts()->getType();
    return own->isArithmeticType() ? own : part->getType();
  }

  // One field per update statement, named after its first target.
  void NameFields() {
    std::set<std::string> taken;
    auto unique = [&](const std::string &wanted) {
      std::string name = wanted;
      for (int suffix = 2; taken.count(name) != 0; ++suffix) {
        name = wanted + "_" + std::to_string(suffix);
      }
      taken.insert(name);
      return name;
    };
    for (const UpdateStatement &update : plan_.updates) {
      std::string name =
          unique(update.replayed != nullptr ? update.replayed->getNameAsString()
                                            : update.targets.front()->getNameAsString());
      std::string value;
      if (update.parts.empty()) {
        value = "unsigned long long";
      } else if (update.parts.size() == 1) {
        value = TypeOf(PartType(update.parts.front()));
      } else {
        unit_.extra_includes.insert("tuple");
        value = "std::tuple<";
        for (const Expr *part : update.parts) {
          value += (value.back() == '<' ? "" : ", ") + TypeOf(PartType(part));
        }
        value += ">";
      }
      bool list = !update.once && !update.parts.empty();
      if (update.tally_extent != 0) {
        fields_.push_back({name, "std::vector<unsigned long long>"});
        continue;
      }
      if (Fold(update) == Combination::kBest) unit_.extra_includes.insert("limits");
      if (Fold(update) == Combination::kSum) {
        fields_.push_back({name, "unsigned long long"});
        continue;
      }
      if (FoldsToOneValue(update)) {  // a minimum or a maximum
        unit_.extra_includes.insert("algorithm");
        unit_.extra_includes.insert("limits");
        fields_.push_back({name, value});
        continue;
      }
      fields_.push_back({name, list ? "std::vector<" + value + ">" : value});
    }
    for (const VarDecl *var : plan_.privates) {
      std::optional<QualType> array = ScratchArrayType(var);
      if (array &&
          unit_.context.getTypeSizeInChars(*array).getQuantity() > kLargestStackArray)
        own_arrays_[var] = unit_.edits.UniqueName(Name(var) + "_own");
    }
    for (const VarDecl *var : plan_.copied) {
      slice_fields_[var] = unique(Name(var) + "_last");
      fields_.push_back({slice_fields_[var], "std::vector<" + ElementType(var) + ">"});
      own_arrays_[var] = unit_.edits.UniqueName(Name(var) + "_own");
    }
    if (!plan_.copied.empty()) keep_last_ = unit_.edits.UniqueName("keep_last");
    if (!HasSlices()) return;
    for (const OwnSlice &slice : plan_.slices) {
      slice_fields_[slice.var] = unique(Name(slice.var));
      fields_.push_back(
          {slice_fields_[slice.var], "std::vector<" + Geometry(slice).element + ">"});
      own_arrays_[slice.var] = unit_.edits.UniqueName(Name(slice.var) + "_own");
    }
    for (const OwnElement &element : plan_.elements) {
      slice_fields_[element.var] = unique(Name(element.var));
      fields_.push_back({slice_fields_[element.var], TypeOf(element.type)});
      // `v[i]` in the task: the element it was sent.
      own_arrays_[element.var] =
          unit_.edits.UniqueName(Name(element.var) + "_" + Name(plan_.iteration));
      element_chunks_[element.var] = unit_.edits.UniqueName(Name(element.var) + "_chunk");
      // A std::array's size is a constant, usable where the body needs one; a
      // vector's is sent.
      if (element.sizes.empty()) continue;
      if (auto extent = FixedExtent(element.var->getType())) {
        element_sizes_[element.var] = "std::size_t{" + std::to_string(*extent) + "}";
      } else {
        element_sizes_[element.var] = unit_.edits.UniqueName(Name(element.var) + "_size");
        size_parameters_.emplace_back(element.var, element_sizes_[element.var]);
      }
    }
    // A chunk's rows go back once, with its last iteration's result.
    for (const OwnRows &rows : plan_.rows) {
      std::string element = TypeOf(rows.element);
      slice_fields_[rows.var] = unique(Name(rows.var) + "_rows");
      fields_.push_back({slice_fields_[rows.var], "std::vector<" + element + ">"});
      row_first_fields_[rows.var] = unique(Name(rows.var) + "_first");
      fields_.push_back({row_first_fields_[rows.var], "std::size_t"});
      own_arrays_[rows.var] = unit_.edits.UniqueName(Name(rows.var) + "_rows");
      row_starts_[rows.var] = unit_.edits.UniqueName(Name(rows.var) + "_first");
      unit_.shared_definitions.emplace(kRows, kRowsDefinition);
      unit_.extra_includes.insert("algorithm");  // std::copy, where they go back
      unit_.extra_includes.insert("cstddef");
      unit_.extra_includes.insert("vector");
    }
    // The element a range-for's reference walks comes back as the iteration left it.
    if (plan_.walked != nullptr) {
      for (const auto &[value, name] : WalkedValues()) {
        walked_fields_.push_back(unique(name));
        fields_.push_back({walked_fields_.back(), SentTypeOf(value)});
      }
    }
    if (plan_.slices.empty() && plan_.elements.empty()) return;
    counter_field_ = unique(Name(plan_.iteration));
    fields_.push_back({counter_field_, TypeOf(plan_.iteration->getType())});
    slice_row_ = unit_.edits.UniqueName("slice_row");
  }

  // Whether the loop hands `var`, or a local reference to it, to a function's
  // non-const reference parameter (one the analysis found the function only reads
  // through): the task needs a copy of its own to hand on, as a const reference
  // cannot bind there.
  bool BoundToMutableReference(const VarDecl *var) const {
    std::set<const VarDecl *> names = {var};
    bool bound = false;
    std::function<void(const Stmt *)> visit = [&](const Stmt *stmt) {
      if (stmt == nullptr || bound) return;
      if (const auto *local = dyn_cast<DeclStmt>(stmt)) {
        for (const Decl *decl : local->decls()) {
          const auto *alias = dyn_cast<VarDecl>(decl);
          if (alias != nullptr && alias->getType()->isReferenceType() &&
              alias->getInit() != nullptr && names.count(ReferencedVar(alias->getInit())))
            names.insert(alias);
        }
      }
      if (const auto *call = dyn_cast<CallExpr>(stmt)) {
        const FunctionDecl *callee = call->getDirectCallee();
        unsigned first = FirstParameterArgument(call, callee);
        for (unsigned i = first; callee != nullptr && i < call->getNumArgs() &&
                                 i - first < callee->getNumParams();
             ++i) {
          QualType type = callee->getParamDecl(i - first)->getType();
          bound |= IsNonConstLValueReference(type) &&
                   names.count(ReferencedVar(call->getArg(i))) != 0;
        }
      }
      for (const Stmt *child : stmt->children()) visit(child);
    };
    visit(loop_);
    return bound;
  }

  std::string Parameter(const VarDecl *var, bool may_change) const {
    if (Boxed(var)) return "const " + boxes_.at(var) + " &" + ParameterName(var);
    if (std::optional<LocalBlock> block = BlockOf(var))
      return "const std::vector<" + TypeOf(block->element) + "> &" + ParameterName(var);
    return ValueParameter(var->getType().getNonReferenceType(), ParameterName(var),
                          may_change);
  }

  // A parameter `name` taking a value of `value`'s type: a class by const reference
  // unless the task changes its copy, anything else by value.
  std::string ValueParameter(QualType value, const std::string &name,
                             bool may_change) const {
    std::string type = SentTypeOf(value);
    if (value->isRecordType() && !may_change) return "const " + type + " &" + name;
    return type + " " + name;
  }

  static std::string Name(const VarDecl *var) { return var->getNameAsString(); }

  // The names a range-for's structured binding gives each element (`for (const auto
  // &[name, xs] : series)`), which the task takes one parameter each; none otherwise.
  std::vector<const BindingDecl *> Bindings() const {
    const auto *bound = dyn_cast<DecompositionDecl>(plan_.iteration);
    if (bound == nullptr) return {};
    return {bound->bindings().begin(), bound->bindings().end()};
  }

  // What a range-for walked by reference sends back to store in its element: the
  // loop's variable, or each name its structured binding gives that is not const (a
  // map's key is), with their types.
  std::vector<std::pair<QualType, std::string>> WalkedValues() const {
    std::vector<const BindingDecl *> bindings = Bindings();
    if (bindings.empty()) return {{plan_.iteration->getType(), Name(plan_.iteration)}};
    std::vector<std::pair<QualType, std::string>> values;
    for (const BindingDecl *binding : bindings) {
      if (!binding->getType().isConstQualified())
        values.emplace_back(binding->getType(), binding->getNameAsString());
    }
    return values;
  }

  // The task's parameters for the iteration: its variable, or each name it binds.
  std::string IterationParameters() const {
    std::vector<const BindingDecl *> bindings = Bindings();
    if (bindings.empty()) {
      QualType type = plan_.iteration->getType();
      return Parameter(plan_.iteration,
                       plan_.walked != nullptr ||
                           (!type.isConstQualified() && !type->isReferenceType()));
    }
    std::string parameters;
    for (const BindingDecl *binding : bindings) {
      parameters += (parameters.empty() ? "" : ", ") +
                    ValueParameter(binding->getType().getNonReferenceType(),
                                   binding->getNameAsString(), plan_.walked != nullptr);
    }
    return parameters;
  }

  // What the driver passes for the iteration: its variable, or each name it binds.
  std::string IterationArguments() const {
    std::vector<const BindingDecl *> bindings = Bindings();
    if (bindings.empty()) return Name(plan_.iteration);
    std::string arguments;
    for (const BindingDecl *binding : bindings)
      arguments += (arguments.empty() ? "" : ", ") + binding->getNameAsString();
    return arguments;
  }

  // What the task does in place of an update statement: keep its parts.
  std::string TaskSide(const UpdateStatement &update, const Field &field) const {
    std::string target = result_ + "." + field.name;
    if (update.parts.empty()) return "++" + target;
    std::vector<std::string> parts;
    for (const Expr *part : update.parts) {
      unsigned begin = edits_.Offset(part->getBeginLoc());
      unsigned end = edits_.EndOffset(part->getEndLoc());
      std::string text = Patch(begin, end, ElementPatches(begin, end));
      const Expr *bare = part->IgnoreImplicit();
      // A tally's part is an argument of its own; others may stand in an expression.
      if (update.tally_extent == 0 &&
          isa<BinaryOperator, AbstractConditionalOperator>(bare))
        text = "(" + text + ")";
      parts.push_back(text);
    }
    std::string joined;
    for (const std::string &part : parts) joined += (joined.empty() ? "" : ", ") + part;
    if (update.tally_extent != 0) return "++" + target + ".at(" + joined + ")";
    if (Fold(update) == Combination::kSum)
      return target + " += static_cast<unsigned long long>(" + joined + ")";
    // One run's values, as the field's element holds them.
    std::string run = parts.size() == 1 ? joined : "std::make_tuple(" + joined + ")";
    if (Fold(update) == Combination::kBest) return KeepBest(update, field, parts, run);
    if (Fold(update) != Combination::kNone) {
      const char *pick = Fold(update) == Combination::kMax ? "max" : "min";
      return target + " = std::" + pick + "<" + field.type + ">(" + target + ", " +
             joined + ")";
    }
    if (!update.once) {
      unit_.shared_definitions.emplace(kAppend, kAppendDefinition);
      return std::string(kAppend) + "(" + target + ", " + joined + ")";
    }
    return target + " = " + run;
  }

  // An argmax's task side: keeps the one run the statement would have kept last, by
  // its own comparison, against what the task kept so far (at first, the value a
  // fold of a maximum starts from).
  std::string KeepBest(const UpdateStatement &update, const Field &field,
                       const std::vector<std::string> &parts,
                       const std::string &run) const {
    std::string target = result_ + "." + field.name;
    const UpdateStatement::Best &best = update.best;
    const Expr *compared = update.parts[best.compared];
    std::string type = TypeOf(PartType(compared));
    std::string kept =
        update.parts.size() == 1
            ? target + ".front()"
            : "std::get<" + std::to_string(best.compared) + ">(" + target + ".front())";
    std::string start = Extreme(compared->getType(), type, best.largest);
    std::string op = std::string(best.largest ? ">" : "<") + (best.ties ? "=" : "");
    return "if (" + parts[best.compared] + " " + op + " (" + target + ".empty() ? " +
           start + " : " + kept + ")) " + target + ".assign(1, " + run + ")";
  }

  // Offset just past an update statement: an expression's last token, or a whole if
  // statement with its ';'.
  unsigned UpdateEnd(const UpdateStatement &update) const {
    return isa<Expr>(update.stmt) ? edits_.EndOffset(update.stmt->getEndLoc())
                                  : edits_.EndOfStatement(update.stmt);
  }

  // The update statement as the driver replays it, its parts read from `value`.
  std::string DriverSide(const UpdateStatement &update, const std::string &value,
                         const std::string &indent) const {
    unsigned begin = edits_.Offset(update.stmt->getBeginLoc());
    unsigned end = UpdateEnd(update);
    std::vector<std::tuple<unsigned, unsigned, std::string>> patches;
    for (const auto &[use, index] : update.uses) {
      std::string access = update.parts.size() == 1
                               ? value
                               : "std::get<" + std::to_string(index) + ">(" + value + ")";
      patches.emplace_back(edits_.Offset(use->getBeginLoc()),
                           edits_.EndOffset(use->getEndLoc()), access);
    }
    std::string text = Patch(begin, end, patches);
    if (isa<Expr>(update.stmt)) text += ";";
    return Reindent(text, edits_.LineIndent(update.stmt->getBeginLoc()), indent);
  }

  // `v[i]` becomes the element the task was sent, wherever it stands in [begin, end).
  std::vector<std::tuple<unsigned, unsigned, std::string>> ElementPatches(
      unsigned begin, unsigned end) const {
    std::vector<std::tuple<unsigned, unsigned, std::string>> patches;
    for (const OwnElement &element : plan_.elements) {
      for (const Expr *mention : element.mentions) {
        unsigned from = edits_.Offset(mention->getBeginLoc());
        unsigned to = edits_.EndOffset(mention->getEndLoc());
        if (from >= begin && to <= end)
          patches.emplace_back(from, to, own_arrays_.at(element.var));
      }
      for (const Expr *query : element.sizes) {
        unsigned from = edits_.Offset(query->getBeginLoc());
        unsigned to = edits_.EndOffset(query->getEndLoc());
        const std::string &size = element_sizes_.at(element.var);
        bool empty = HasName(cast<CXXMemberCallExpr>(query)->getMethodDecl(), "empty");
        if (from >= begin && to <= end)
          patches.emplace_back(from, to, empty ? "(" + size + " == 0)" : size);
      }
    }
    return patches;
  }

  // The file's text from `begin` to `end` with the patches (absolute offsets) applied.
  std::string Patch(
      unsigned begin, unsigned end,
      std::vector<std::tuple<unsigned, unsigned, std::string>> patches) const {
    std::sort(patches.begin(), patches.end());
    std::string text;
    unsigned cursor = begin;
    for (const auto &[from, to, replacement] : patches) {
      if (from < cursor) continue;  // a use inside another is the same text
      text += edits_.FileText().substr(cursor, from - cursor) + replacement;
      cursor = to;
    }
    return text + edits_.FileText().substr(cursor, end - cursor);
  }

  // Lines after the first lose `from` and gain `to`.
  static std::string Reindent(const std::string &text, const std::string &from,
                              const std::string &to) {
    std::string out;
    size_t start = 0;
    while (start <= text.size()) {
      size_t newline = text.find('\n', start);
      std::string line = text.substr(
          start, newline == std::string::npos ? std::string::npos : newline - start);
      if (start != 0) {
        if (line.compare(0, from.size(), from) == 0) line = line.substr(from.size());
        if (!line.empty()) line = to + line;
      }
      out += line;
      if (newline == std::string::npos) break;
      out += "\n";
      start = newline + 1;
    }
    return out;
  }

  std::string GeneratedCode() const {
    const std::string &step = layout_.step;
    unsigned line = edits_.Line(loop_->getBeginLoc());
    std::string where = "the loop at line " + std::to_string(line) + " of " +
                        function_->getNameAsString() + "()";
    std::string code = BoxDefinitions() + "// What one iteration of " + where +
                       " leaves for the driver\n// to apply, in iteration order.\n"
                       "struct " +
                       result_type_ + " {\n";
    std::string names;
    for (const Field &field : fields_) {
      code += step + field.type + " " + field.name + "{};\n";
      names += (names.empty() ? "" : ", ") + field.name;
    }
    code += step + "MSGPACK_DEFINE(" + names + ");\n";
    // The bundled runtime keeps and reads a struct that ties every field it encodes
    // without msgpack's intermediate objects; Ray's API ignores the member.
    code += step +
            "// Every field, as encoded (lets rayify's runtime skip msgpack objects).\n" +
            step + "auto rayify_fields() { return std::tie(" + names + "); }\n};\n\n";
    code += "// One iteration of " + where + ", run as a Ray task.\n";
    code += "static " + result_type_ + " " + name_ + "(" + IterationParameters();
    for (const VarDecl *sent : Sent())
      code += ", " + Parameter(sent, BoundToMutableReference(sent));
    for (const OwnElement &element : plan_.elements)
      code += ", " + TypeOf(element.type) + " " + own_arrays_.at(element.var);
    // A chunk's iterations share its rows; a task of one iteration owns them.
    for (const OwnRows &rows : plan_.rows) {
      code += ", std::vector<" + TypeOf(rows.element) + ">" + (range_ ? " &" : " ") +
              own_arrays_.at(rows.var) + ", std::size_t " + row_starts_.at(rows.var);
    }
    for (const auto &[var, size] : size_parameters_) code += ", std::size_t " + size;
    if (!keep_last_.empty()) code += ", bool " + keep_last_;
    // A chunk installs the globals once for all its iterations.
    code += ") {\n" + (range_ ? "" : RestoredGlobals()) + step + result_type_ + " " +
            result_ + ";\n" + FixedDeclarations();
    for (size_t i = 0; i < plan_.updates.size(); ++i) {
      if (unsigned long long extent = plan_.updates[i].tally_extent) {
        code += step + "// How many times each element of '" +
                Name(plan_.updates[i].targets.front()) + "' is updated.\n" + step +
                result_ + "." + fields_[i].name + ".resize(" + std::to_string(extent) +
                ");\n";
      }
      code += FoldStart(plan_.updates[i], fields_[i]);
    }
    for (const VarDecl *capture : plan_.captures) {
      if (IsCopied(capture)) {
        code += CopyIn(capture);
      } else if (Boxed(capture)) {
        code += step + "const auto &" + Name(capture) + " = " + ParameterName(capture) +
                ".value;\n";
      } else if (Blocked(capture)) {
        code += BlockView(capture);
      }
    }
    for (const OwnSlice &slice : plan_.slices) code += SliceCopyIn(slice);
    for (const OwnRows &rows : plan_.rows) {
      code += step + "// '" + Name(rows.var) +
              "': its rows, as the loop found them, at the block's own indices.\n" +
              step + "const " + kRows + "<" + TypeOf(rows.element) + "> " +
              Name(rows.var) + "{" + own_arrays_.at(rows.var) + ".data(), " +
              row_starts_.at(rows.var) + "};\n";
    }
    for (const VarDecl *var : plan_.privates) code += PrivateDeclaration(var);
    if (!HasSlices()) {
      code += Body();
      for (const VarDecl *var : plan_.copied) code += CopyOut(var);
    } else {
      // Its slices go back however the iteration ends: a `continue` leaves the block.
      code += step + "do {\n" + Indented(Body(), step) + step + "} while (false);\n";
      for (const OwnSlice &slice : plan_.slices) code += SliceCopyOut(slice);
      for (const VarDecl *var : plan_.copied) code += CopyOut(var);
      for (const OwnElement &element : plan_.elements) {
        code += step + result_ + "." + slice_fields_.at(element.var) + " = std::move(" +
                own_arrays_.at(element.var) + ");\n";
      }
      // A task of one iteration sends its row back; a chunk sends all of its rows.
      if (!range_) {
        for (const OwnRows &rows : plan_.rows) code += RowsBack(rows, result_, step);
      }
      if (plan_.walked != nullptr) {
        std::vector<std::pair<QualType, std::string>> walked = WalkedValues();
        for (size_t i = 0; i < walked.size(); ++i) {
          code += step + result_ + "." + walked_fields_[i] + " = std::move(" +
                  walked[i].second + ");\n";
        }
      }
      if (!counter_field_.empty()) {
        code +=
            step + result_ + "." + counter_field_ + " = " + Name(plan_.iteration) + ";\n";
      }
    }
    code += step + "return " + result_ + ";\n}\n\n";
    if (range_) code += ChunkFunction(where);
    return code;
  }

  // How the task folds `update`'s runs: a statement that runs once per iteration
  // folds only across a chunk's iterations (ChunkFunction), so only in chunks, and
  // never an argmax, which a chunk does not fold.
  Combination Fold(const UpdateStatement &update) const {
    if (update.once && (!range_ || update.combined == Combination::kBest))
      return Combination::kNone;
    return update.combined;
  }

  // Whether a chunk's iterations fold into one result: every update statement folds
  // or counts its runs, and nothing else comes back. A statement without parts is
  // the same operation in every run, so its runs of a whole chunk may be replayed
  // together, but only if no other statement touches its targets: runs of two
  // statements (`x *= 2;` and `x += 1;`) must stay interleaved as they ran.
  bool ChunkFolds() const {
    if (plan_.updates.empty() || plan_.ReturnsArrays() || !counter_field_.empty())
      return false;
    return std::all_of(
        plan_.updates.begin(), plan_.updates.end(), [&](const UpdateStatement &update) {
          return update.replayed == nullptr &&
                 (FoldsToOneValue(update) || (update.parts.empty() && update.sole));
        });
  }

  // Whether the task sends `update`'s runs as one value of its own (a sum, a
  // minimum or a maximum), which the driver replays once.
  bool FoldsToOneValue(const UpdateStatement &update) const {
    Combination fold = Fold(update);
    return fold == Combination::kSum || fold == Combination::kMin ||
           fold == Combination::kMax;
  }

  // Where a folded minimum or maximum starts: a value the driver's replay of the
  // statement leaves the target as it is, for an iteration that offers none.
  std::string FoldStart(const UpdateStatement &update, const Field &field) const {
    if (!FoldsToOneValue(update)) return "";
    const std::string &step = layout_.step;
    std::string target = Name(update.targets.front());
    if (Fold(update) == Combination::kSum) {
      return step + "// The sum of this iteration's values for '" + target +
             "', modulo 2^64: integer sums wrap alike.\n";
    }
    bool largest = Fold(update) == Combination::kMax;
    return step + "// The " + (largest ? "largest" : "smallest") +
           " value this iteration offers '" + target + "' (none: the " +
           (largest ? "lowest" : "highest") + ").\n" + step + result_ + "." + field.name +
           " = " + Extreme(update.targets.front()->getType(), field.type, largest) +
           ";\n";
  }

  // The value a fold starts from: the integer type's lowest or highest, or -/+
  // infinity for a floating-point one (its lowest finite value would still be taken
  // over a target at -infinity).
  static std::string Extreme(QualType type, const std::string &spelled, bool lowest) {
    std::string limits = "std::numeric_limits<" + spelled + ">::";
    if (type->isRealFloatingType()) return (lowest ? "-" : "") + limits + "infinity()";
    return limits + (lowest ? "lowest()" : "max()");
  }

  // Runs iterations [begin, end) one after the other in one task, so that a task has
  // work enough to pay for itself.
  std::string ChunkFunction(const std::string &where) const {
    const std::string &step = layout_.step;
    std::string counter = TypeOf(range_->counter->getType());
    std::string begin = "chunk_begin", end = "chunk_end", results = "chunk_results";
    std::string params = counter + " " + begin + ", " + counter + " " + end;
    std::string arguments = Name(plan_.iteration);
    for (const VarDecl *sent : Sent()) {
      params += ", " + Parameter(sent, false);
      arguments += ", " + ParameterName(sent);
    }
    // Element k of a chunk's share of `v` is v[begin + k].
    for (const OwnElement &element : plan_.elements) {
      const std::string &elements = element_chunks_.at(element.var);
      params += ", std::vector<" + TypeOf(element.type) + "> " + elements;
      arguments +=
          ", std::move(" + elements + "[" + Name(plan_.iteration) + " - " + begin + "])";
    }
    // The chunk's rows of a block, which its iterations work on in turn.
    std::string rows_back;
    for (const OwnRows &rows : plan_.rows) {
      const std::string &own = own_arrays_.at(rows.var);
      const std::string &first = row_starts_.at(rows.var);
      params +=
          ", std::vector<" + TypeOf(rows.element) + "> " + own + ", std::size_t " + first;
      arguments += ", " + own + ", " + first;
      rows_back += RowsBack(rows, results + ".back()", step);
    }
    for (const auto &[var, size] : size_parameters_) {
      params += ", std::size_t " + size;
      arguments += ", " + size;
    }
    // Only the loop's last iteration sends its copies of the scratch arrays back.
    if (!keep_last_.empty()) {
      params += ", bool " + keep_last_;
      arguments += ", " + keep_last_ + " && " + Name(plan_.iteration) + " + 1 == " + end;
    }
    std::string vector = "std::vector<" + result_type_ + ">";
    std::string loop = step + "for (" + counter + " " + Name(plan_.iteration) + " = " +
                       begin + "; " + Name(plan_.iteration) + " < " + end + "; ++" +
                       Name(plan_.iteration) + ")";
    std::string gather = loop + "\n" + step + step + results + ".push_back(" + name_ +
                         "(" + arguments + "));\n";
    if (ChunkFolds()) gather = FoldedChunk(loop, results, name_ + "(" + arguments + ")");
    return "// Iterations [" + begin + ", " + end + ") of " + where +
           ", run one after the other\n// as one Ray task.\n" + "static " + vector + " " +
           chunk_name_ + "(" + params + ") {\n" + RestoredGlobals() + step + vector +
           " " + results + ";\n" + gather + rows_back + step + "return " + results +
           ";\n}\n\n";
  }

  // A chunk whose every update folds sends one result: its iterations' folded
  // together, as the driver would have applied them one after the other.
  std::string FoldedChunk(const std::string &loop, const std::string &results,
                          const std::string &call) const {
    const std::string &step = layout_.step;
    const std::string inner = step + step;
    std::string one = unit_.edits.UniqueName("one"), kept = results + ".front()";
    std::string code =
        step + "// Every update folds: the iterations' results fold into one.\n" + loop +
        " {\n" + inner + "auto " + one + " = " + call + ";\n" + inner + "if (" + results +
        ".empty()) {\n" + inner + step + results + ".push_back(std::move(" + one +
        "));\n" + inner + step + "continue;\n" + inner + "}\n";
    for (size_t i = 0; i < plan_.updates.size(); ++i) {
      std::string mine = kept + "." + fields_[i].name,
                  theirs = one + "." + fields_[i].name;
      switch (Fold(plan_.updates[i])) {
        case Combination::kMax:
          code += inner + mine + " = std::max(" + mine + ", " + theirs + ");\n";
          break;
        case Combination::kMin:
          code += inner + mine + " = std::min(" + mine + ", " + theirs + ");\n";
          break;
        default:  // a sum modulo 2^64, or a count of runs
          code += inner + mine + " += " + theirs + ";\n";
      }
    }
    return code + step + "}\n";
  }

  // The loop body, its update statements keeping parts and its `continue`s returning.
  std::string Body() const {
    std::vector<std::tuple<unsigned, unsigned, std::string>> patches;
    for (size_t i = 0; i < plan_.updates.size(); ++i) {
      const UpdateStatement &update = plan_.updates[i];
      bool expr = isa<Expr>(update.stmt);
      patches.emplace_back(edits_.Offset(update.stmt->getBeginLoc()), UpdateEnd(update),
                           TaskSide(update, fields_[i]) + (expr ? "" : ";"));
    }
    for (auto &patch : ElementPatches(0, edits_.FileText().size())) {
      bool in_update = false;
      for (const UpdateStatement &update : plan_.updates) {
        in_update = in_update ||
                    (std::get<0>(patch) >= edits_.Offset(update.stmt->getBeginLoc()) &&
                     std::get<1>(patch) <= UpdateEnd(update));
      }
      if (!in_update) patches.push_back(std::move(patch));  // TaskSide renames those
    }
    for (const ContinueStmt *cont :
         !HasSlices() ? plan_.continues : std::vector<const ContinueStmt *>{}) {
      patches.emplace_back(edits_.Offset(cont->getBeginLoc()),
                           edits_.EndOffset(cont->getEndLoc()), "return " + result_);
    }
    if (plan_.step != nullptr) {  // the driver steps the counter
      unsigned line = edits_.LineStart(edits_.Offset(plan_.step->getBeginLoc()));
      unsigned end = edits_.EndOfStatement(plan_.step);
      if (end < edits_.FileText().size() && edits_.FileText()[end] == '\n') ++end;
      patches.emplace_back(line, end, "");
    }
    std::string text;
    const std::string inner = layout_.indent + layout_.step;
    if (const auto *block = dyn_cast<CompoundStmt>(body_)) {
      text = Patch(edits_.Offset(block->getLBracLoc()) + 1,
                   edits_.Offset(block->getRBracLoc()), patches);
      size_t last = text.find_last_of('\n');
      if (last == std::string::npos) {  // `{ a[i] = f(i); }` on one line
        size_t first = text.find_first_not_of(" \t");
        size_t end = text.find_last_not_of(" \t");
        text = "\n" + inner + text.substr(first, end - first + 1) + "\n";
      } else {
        // From just after '{' to the '}' line's indentation, or through the last
        // statement when it shares its line with the '}' (`  t = f(i); }`).
        size_t tail = text.find_last_not_of(" \t");
        text = tail > last ? text.substr(0, tail + 1) + "\n" : text.substr(0, last + 1);
        if (text.front() != '\n')
          text = "\n" + inner + text.substr(text.find_first_not_of(" \t"));
      }
    } else {
      text = "\n" + inner +
             Patch(edits_.Offset(body_->getBeginLoc()), edits_.EndOfStatement(body_),
                   patches) +
             "\n";
    }
    text = Reindent(text, layout_.indent, "");
    return text.substr(1);
  }

  // The captures as the submission passes them, after `before` puts the containers
  // in the object store once rather than copying them into every task. With
  // `direct`, also as a call of the task function in the driver passes them, the
  // variables themselves, or nullopt where a capture exists only as what was put (a
  // local block, a boxed array).
  std::string CaptureArguments(std::string &before, LoopConversion &conversion,
                               std::optional<std::string> *direct = nullptr) {
    std::string arguments;
    for (const VarDecl *capture : Sent()) {
      NoteSize(capture, conversion);
      if (direct != nullptr && *direct) *direct = **direct + ", " + DriverName(capture);
      if (direct != nullptr && (BlockOf(capture) || Boxed(capture))) direct->reset();
      if (std::optional<LocalBlock> block = BlockOf(capture)) {
        std::string ref = unit_.edits.UniqueName(Name(capture) + "_ref");
        before += "auto " + ref + " = ray::Put(std::vector<" + TypeOf(block->element) +
                  ">(" + Name(capture) + ", " + Name(capture) + " + " +
                  BlockCount(*block) + "));\n" + layout_.indent;
        arguments += ", " + ref;
        conversion.put_variables.push_back(Name(capture));
        continue;
      }
      bool boxed = Boxed(capture);
      if (!boxed && !capture->getType().getNonReferenceType()->isRecordType()) {
        arguments += ", " + DriverName(capture);
        continue;
      }
      std::string ref = unit_.edits.UniqueName(Name(capture) + "_ref");
      std::string value = DriverName(capture);
      if (boxed) {  // on the heap: scientific fields can be bigger than a stack
        value = unit_.edits.UniqueName(Name(capture) + "_array");
        before += "auto " + value + " = std::make_unique<" + boxes_.at(capture) +
                  ">();\n" + layout_.indent + "std::memcpy(" + value + "->value, " +
                  DriverName(capture) + ", sizeof " + value + "->value);\n" +
                  layout_.indent;
        value = "*" + value;
      }
      before += "auto " + ref + " = ray::Put(" + value + ");\n" + layout_.indent;
      arguments += ", " + ref;
      conversion.put_variables.push_back(Name(capture));
    }
    return arguments;
  }

  // How the driver names what it sends: as the loop does, or a global only callees
  // read by its full name (a local of the driver's may hide it).
  std::string DriverName(const VarDecl *var) const {
    if (IsCapture(var) || std::find(plan_.restored.begin(), plan_.restored.end(), var) ==
                              plan_.restored.end()) {
      return Name(var);
    }
    return GlobalName(var);
  }

  static std::string GlobalName(const VarDecl *global) {
    return "::" + ReadableStandardNames(global->getQualifiedNameAsString());
  }

  // What the report says a capture weighs, when its type fixes that.
  void NoteSize(const VarDecl *capture, LoopConversion &conversion) const {
    std::optional<QualType> sent = SentArrayType(capture, unit_.Mutations());
    if (std::optional<long long> bytes = FixedSize(
            sent ? *sent : capture->getType().getNonReferenceType(), unit_.context)) {
      conversion.sent_bytes[Name(capture)] = *bytes;
    }
  }

  std::string TaskCall(const std::string &function) const {
    return "ray::Task(" + function + ")" + TaskResourceCalls(options_.resources);
  }

  // The references to the tasks' results, in submission order. A deque: the replay
  // takes them from the front, so each result is freed once applied (EP's would
  // otherwise hold 220 MB until the last).
  std::string RefsDeclaration(const std::string &result, const std::string &refs) {
    unit_.extra_includes.insert("deque");
    return "std::deque<ray::ObjectRef<" + result + ">> " + refs + ";\n";
  }

  // Opens the replay loop: each result, in order, as soon as it is back (while later
  // tasks still run), named `results` and dropped from `refs`. The caller closes it.
  // The reference is given up to Get (std::move), so that where it is the result's
  // last, the bundled runtime hands the result over instead of copying it.
  std::string TakeEach(const std::string &refs, const std::string &results,
                       const std::string &indent) const {
    const std::string inner = indent + layout_.step;
    unit_.extra_includes.insert("utility");
    return indent + "while (!" + refs + ".empty()) {\n" + inner + "const auto " +
           results + " = ray::Get(std::move(" + refs + ".front()));\n" + inner + refs +
           ".pop_front();\n";
  }

  // Submissions wait for the oldest task once the window is full, unless the loop is
  // known to be short.
  std::string Throttle(const std::string &refs, LoopConversion &conversion) const {
    // After a trial in the driver the chunks start where it stopped, which the
    // header no longer shows to be a constant: they wait all the same.
    if (HasSmallConstantTripCount(loop_, unit_.context,
                                  unit_.settings.submit_all_limit) &&
        here_.empty())
      return "";
    std::string window = std::to_string(unit_.settings.max_in_flight);
    conversion.throttled = true;
    conversion.max_in_flight = unit_.settings.max_in_flight;
    return ThrottleLines(refs, refs + "[" + refs + ".size() - " + window + "]", layout_,
                         unit_.settings.max_in_flight);
  }

  // The body's statements as written, one level deeper than the loop's body, from a
  // newline to a newline, for the elements a range-for's trial runs in the driver
  // (IterationTrial); "" where there is no trial: the work is bounded, the range has
  // no size the driver may ask, the replay walks the range again, or the text holds
  // a raw string or a continued line that reindenting would change.
  std::string BodyAsWritten() {
    if (!options_.trial || unit_.settings.min_chunk_microseconds <= 0 ||
        plan_.walked != nullptr || RangeSize(loop_, edits_).empty())
      return "";
    unsigned from = HeaderEnd(loop_, edits_);
    std::string text = edits_.FileText().substr(from, layout_.loop_end - from);
    if (KeepsItsSpaces(text)) return "";
    const std::string deeper = layout_.indent + layout_.step + layout_.step;
    if (const auto *block = dyn_cast<CompoundStmt>(body_)) {
      unsigned open = edits_.Offset(block->getLBracLoc()) + 1;
      text = edits_.FileText().substr(open, edits_.Offset(block->getRBracLoc()) - open);
    }
    size_t first = text.find_first_not_of(" \t\n");
    size_t last = text.find_last_not_of(" \t\n");
    if (first == std::string::npos) return "";
    text = text.substr(first, last - first + 1);
    // Lines after the first keep their indentation relative to the body's.
    std::string body_indent = edits_.LineIndent(
        isa<CompoundStmt>(body_) && !cast<CompoundStmt>(body_)->body_empty()
            ? cast<CompoundStmt>(body_)->body_front()->getBeginLoc()
            : body_->getBeginLoc());
    return "\n" + deeper + Reindent(text, body_indent, deeper) + "\n";
  }

  void EmitDriver(LoopConversion &conversion) {
    const std::string inner = layout_.indent + layout_.step;
    std::string refs = unit_.edits.UniqueName(name_ + "_refs");
    std::string before;
    std::optional<std::string> direct = IterationArguments();
    std::string arguments =
        IterationArguments() + CaptureArguments(before, conversion, &direct);
    std::string rest;  // the same in a task's arguments and in a call here
    for (const OwnElement &element : plan_.elements) {
      std::string at = Name(element.var) + "[" + Name(plan_.iteration) + "]";
      rest +=
          ", " + (element.always ? at
                                 : "(" + InRange(element, Name(plan_.iteration)) + " ? " +
                                       at + " : " + TypeOf(element.type) + "{})");
    }
    for (const OwnRows &rows : plan_.rows) {
      std::string at = Name(plan_.iteration);
      rest += RowsArguments(rows, at, at + " + 1");
    }
    for (const auto &[var, size] : size_parameters_) rest += ", " + Name(var) + ".size()";
    // Which iteration is the last is known only once the header says so: each
    // sends its copies back and the driver keeps the last.
    if (!keep_last_.empty()) rest += ", true";
    arguments += rest;
    if (direct) *direct += rest;
    before += (plan_.walked != nullptr
                   ? "std::vector<ray::ObjectRef<" + result_type_ + ">> " + refs + ";\n"
                   : RefsDeclaration(result_type_, refs)) +
              layout_.indent;
    std::string here = BodyAsWritten();
    std::string trial;
    if (!here.empty()) {
      trial = unit_.edits.UniqueName(name_ + "_trial");
      before += IterationTrialDeclaration(unit_, trial, RangeSize(loop_, edits_),
                                          layout_.indent) +
                "\n" + layout_.indent;
      layout_.indent = inner;  // the submission goes one level in, under `else`
    }
    // Where the loop's length is not known here, the trial comes after a few tasks,
    // and what the iterations run here return is put in the store in their tasks'
    // place, so the driver still applies every iteration in order. A trip count the
    // source fixes was the cost model's to weigh.
    std::string task = TaskCall(name_) + ".Remote(" + arguments + ")";
    if (here.empty() && direct && options_.trial &&
        unit_.settings.min_chunk_microseconds > 0 &&
        !ConstantTripCount(loop_, unit_.context)) {
      trial = unit_.edits.UniqueName(name_ + "_trial");
      before += IterationTrialDeclaration(unit_, trial, "", layout_.indent) + "\n" +
                layout_.indent;
      const std::string deeper = inner + layout_.step + layout_.step;
      task = "\n" + deeper + trial + ".Here()\n" + deeper + layout_.step + layout_.step +
             "? ray::Put(" + name_ + "(" + *direct + "))\n" + deeper + layout_.step +
             layout_.step + ": " + task;
    }
    edits_.Insert(layout_.loop_begin, before);

    const std::string submitted = layout_.indent + layout_.step;
    std::string submit = submitted + refs + ".push_back(" + CopyOfRef(unit_) + "(" +
                         task + "));\n" + Throttle(refs, conversion);
    if (plan_.step != nullptr) {
      submit += submitted + edits_.Text(plan_.step->getSourceRange()) + ";\n";
    }
    if (!here.empty()) {
      layout_.indent = inner.substr(0, inner.size() - layout_.step.size());
      submit = inner + "if (" + trial + ".Here()) {" + here + inner + "} else {\n" +
               submit + inner + "}\n";
    }
    // A body without braces is replaced from the header's ')' so that the new
    // braces open on the header's line.
    unsigned body_begin = edits_.Offset(body_->getBeginLoc());
    std::string open = "{\n";
    if (!isa<CompoundStmt>(body_)) {
      body_begin = HeaderEnd(loop_, edits_);
      open = " {\n";
    }
    edits_.Replace(body_begin, layout_.loop_end, open + submit + layout_.indent + "}");
    std::string iteration = unit_.edits.UniqueName(name_ + "_iteration");
    if (plan_.walked != nullptr) {
      edits_.Insert(layout_.loop_end, WalkedReplay(refs, iteration));
      return;
    }
    edits_.Insert(layout_.loop_end, "\n" + TakeEach(refs, iteration, layout_.indent) +
                                        Replay(iteration + "->", layout_.indent) +
                                        layout_.indent + "}");
  }

  // The range walked again, in the same order, each element given back the value its
  // iteration left in it before the iteration's updates are replayed.
  std::string WalkedReplay(const std::string &refs, const std::string &iteration) {
    const auto *range = cast<CXXForRangeStmt>(loop_);
    std::string results = unit_.edits.UniqueName(name_ + "_results");
    std::string next = unit_.edits.UniqueName(name_ + "_next");
    const std::string &indent = layout_.indent;
    const std::string inner = indent + layout_.step;
    std::string header =
        edits_.Text(SourceRange(range->getBeginLoc(), range->getRParenLoc()));
    // A map's element takes back its mapped value; its key is const and unchanged.
    std::string mapped = HeldMappedType(plan_.walked->getType().getNonReferenceType()) &&
                                 Bindings().empty()
                             ? ".second"
                             : "";
    std::string stores;
    std::vector<std::pair<QualType, std::string>> walked = WalkedValues();
    for (size_t i = 0; i < walked.size(); ++i) {
      stores += inner + walked[i].second + mapped + " = " + iteration + "->" +
                walked_fields_[i] + mapped + ";\n";
    }
    return "\n" + indent + "const auto " + results + " = ray::Get(" + refs + ");\n" +
           indent + "std::size_t " + next + " = 0;\n" + indent + header + " {\n" + inner +
           "const auto &" + iteration + " = " + results + "[" + next + "++];\n" + stores +
           Replay(iteration + "->", indent) + indent + "}";
  }

  // `for (T i = a; i < b; ++i)` becomes a loop over chunks of about (b - a) / (8 CPUs)
  // iterations; the driver replays every iteration of every chunk in order. Where the
  // loop may run as written, a few iterations run in the driver first, timed
  // (FirstChunkHere), and the chunks start after them, or not at all.
  void EmitChunkedDriver(LoopConversion &conversion) {
    const std::string indent = layout_.indent;
    const std::string inner = indent + layout_.step;
    std::string counter = TypeOf(range_->counter->getType());
    std::string begin = Grouped(range_->begin);
    std::string end = Grouped(range_->end) + (range_->inclusive ? " + 1" : "");
    if (range_->inclusive) end = "(" + end + ")";
    std::string sizing;  // the chunks' end and size
    if (range_->end_offset != 0) {
      // `i + c < n` runs to n - c, or not at all: tested as the loop tests it, so an
      // unsigned `n` below `c` never wraps.
      std::string c = std::to_string(range_->end_offset);
      std::string bound = end;
      end = unit_.edits.UniqueName(name_ + "_end");
      sizing += indent + "const " + counter + " " + end + " = static_cast<" + counter +
                ">(" + begin + " + " + c + " < " + bound + " ? " + bound + " - " + c +
                " : " + begin + ");\n";
    }
    std::string here = AsWritten(counter);
    std::string size = unit_.edits.UniqueName(name_ + "_chunk_size");
    std::string per_cpu = std::to_string(unit_.settings.chunks_per_cpu);
    sizing += indent + "// About " + per_cpu +
              " chunks of iterations per CPU, one task each.\n";
    sizing += indent + "const " + counter + " " + size + " = std::max<" + counter +
              ">(\n" + inner + "1, (" + end + " - " + begin + ") / static_cast<" +
              counter + ">(" + per_cpu +
              " * std::max<unsigned>(1u, std::thread::hardware_concurrency())));\n";
    std::string first = unit_.edits.UniqueName(name_ + "_first");
    std::string text;
    if (here.empty()) {
      text = Chunks(conversion, begin, end, size, first, indent, sizing);
    } else {
      std::string start = unit_.edits.UniqueName(name_ + "_start");
      text = here + sizing + indent +
             "// A few iterations run here first, timed; the rest are tasks only if a "
             "chunk\n" +
             indent + "// would take " +
             std::to_string(unit_.settings.min_chunk_microseconds) +
             " us or more (min-chunk-microseconds), else they run here too.\n" + indent +
             "const " + counter + " " + start + " = " + FirstChunkHere(unit_) + "<" +
             counter + ">(" + begin + ", " + end + ", " + size + ", " +
             std::to_string(unit_.settings.min_chunk_microseconds) + ", " + here_ +
             ");\n" + indent + "if (" + start + " < " + end + ") {\n";
      layout_.indent = inner;  // the submissions and the replay, one level in
      text +=
          Chunks(conversion, start, end, size, first, inner, "") + "\n" + indent + "}";
      layout_.indent = indent;
    }
    if (range_->declared_before) {  // where the loop would have left its counter
      text += "\n" + indent + Name(range_->counter) + " = std::max<" + counter + ">(" +
              begin + ", " + end + ");";
    }
    edits_.Replace(layout_.loop_begin, layout_.loop_end, text.substr(indent.size()));
  }

  // The loop as written, over iterations [from, to), as a lambda the driver calls, or
  // "" where its body cannot stand in one (FirstChunkHere). Its text begins with the
  // loop's indentation and ends in a newline.
  std::string AsWritten(const std::string &counter) {
    if (!options_.trial || unit_.settings.min_chunk_microseconds <= 0 ||
        KeepsOutOfALambda(body_))
      return "";
    std::string body = edits_.FileText().substr(
        HeaderEnd(loop_, edits_), layout_.loop_end - HeaderEnd(loop_, edits_));
    if (KeepsItsSpaces(body)) return "";
    const std::string &indent = layout_.indent;
    here_ = unit_.edits.UniqueName(name_ + "_here");
    std::string from = unit_.edits.UniqueName(name_ + "_from");
    std::string to = unit_.edits.UniqueName(name_ + "_to");
    std::string i = Name(range_->counter);
    return indent + "// The loop as written, for iterations that run here.\n" + indent +
           "const auto " + here_ + " = [&](" + counter + " " + from + ", " + counter +
           " " + to + ") {\n" + indent + layout_.step + "for (" +
           (range_->declared_before ? "" : counter + " ") + i + " = " + from + "; " + i +
           " < " + to + "; ++" + i + ")" + Reindent(body, "", layout_.step) + "\n" +
           indent + "};\n";
  }

  // Whether reindenting `text` could change it: lines inside a raw string or a
  // continued line must keep their spaces.
  static bool KeepsItsSpaces(const std::string &text) {
    return text.find("R\"") != std::string::npos ||
           text.find("\\\n") != std::string::npos;
  }

  // Whether the statement would mean something else, or nothing, inside a lambda: it
  // names a structured binding (a lambda may not capture one before C++20) or a
  // variable of a variably modified type (`double (*u)[n]`, which no lambda captures),
  // or asks the function's name (`__func__`, as `assert` does).
  static bool KeepsOutOfALambda(const Stmt *stmt) {
    if (stmt == nullptr || isa<PredefinedExpr>(stmt)) return stmt != nullptr;
    if (const auto *ref = dyn_cast<DeclRefExpr>(stmt)) {
      if (isa<BindingDecl>(ref->getDecl()) ||
          ref->getDecl()->getType()->isVariablyModifiedType())
        return true;
    }
    for (const Stmt *child : stmt->children())
      if (KeepsOutOfALambda(child)) return true;
    return false;
  }

  // The submissions of chunks of `size` iterations from `from` to `end`, each a task,
  // and the replay of their results in order, at `indent` (layout_.indent); `sizing`
  // goes between what is put and the submissions.
  std::string Chunks(LoopConversion &conversion, const std::string &from,
                     const std::string &end, const std::string &size,
                     const std::string &first, const std::string &indent,
                     const std::string &sizing) {
    const std::string inner = indent + layout_.step;
    std::string refs = unit_.edits.UniqueName(name_ + "_refs");
    std::string before;
    std::string captures = CaptureArguments(before, conversion);
    std::string text = indent + before +
                       RefsDeclaration("std::vector<" + result_type_ + ">", refs) +
                       sizing;
    std::string last = unit_.edits.UniqueName(name_ + "_last");
    text += indent + "for (" + TypeOf(range_->counter->getType()) + " " + first + " = " +
            from + "; " + first + " < " + end + "; " + first + " += " + size + ") {\n";
    text += inner + TypeOf(range_->counter->getType()) + " " + last + " = " + end +
            " - " + first + " > " + size + " ? " + first + " + " + size + " : " + end +
            ";\n";
    // Every iteration reaches its element (CheckElement): [first, last) exist.
    for (const OwnElement &element : plan_.elements) {
      std::string from_element =
          Name(element.var) + (element.var->getType()->isPointerType() ? "" : ".begin()");
      captures += ",\n" + inner + layout_.step + "std::vector<" + TypeOf(element.type) +
                  ">(" + from_element + " + " + first + ", " + from_element + " + " +
                  last + ")";
    }
    for (const OwnRows &rows : plan_.rows) captures += RowsArguments(rows, first, last);
    for (const auto &size_parameter : size_parameters_)
      captures += ",\n" + inner + layout_.step + Name(size_parameter.first) + ".size()";
    if (!keep_last_.empty()) captures += ", " + last + " == " + end;
    text += inner + refs + ".push_back(" + CopyOfRef(unit_) + "(" +
            TaskCall(chunk_name_) + ".Remote(" + first + ", " + last + captures +
            ")));\n" + Throttle(refs, conversion);
    text += indent + "}\n";
    std::string chunk = unit_.edits.UniqueName(name_ + "_results");
    std::string iteration = unit_.edits.UniqueName(name_ + "_iteration");
    // The chunk's results are held by name: a range-for over `*ray::Get(ref)` would
    // outlive the pointer that keeps them.
    text += TakeEach(refs, chunk, indent);
    text += inner + "for (const auto &" + iteration + " : *" + chunk + ") {\n";
    text += Replay(iteration + ".", inner) + inner + "}\n" + indent + "}";
    return text;
  }

  // `result` takes the rows it was sent back, and where they start.
  std::string RowsBack(const OwnRows &rows, const std::string &result,
                       const std::string &indent) const {
    return indent + result + "." + slice_fields_.at(rows.var) + " = std::move(" +
           own_arrays_.at(rows.var) + ");\n" + indent + result + "." +
           row_first_fields_.at(rows.var) + " = " + row_starts_.at(rows.var) + ";\n";
  }

  // Where the elements of a block of rows start: the block's pointer, or the data of
  // the container that holds them.
  std::string RowsBlock(const OwnRows &rows) const {
    return rows.var->getType()->isPointerType() ? Name(rows.var)
                                                : Name(rows.var) + ".data()";
  }

  // The rows of a block of iterations [first, last), and where they start.
  std::string RowsArguments(const OwnRows &rows, const std::string &first,
                            const std::string &last) {
    const std::string deeper = layout_.indent + layout_.step + layout_.step;
    std::optional<LocalBlock> held = BlockOf(rows.var);
    std::string count = held ? BlockCount(*held) : Name(rows.var) + ".size()";
    std::string width = Grouped(rows.width);
    auto start = [&](const std::string &row) {
      return std::string("rayify_row_start(") + row + ", " + width + ", " + count + ")";
    };
    std::string block = RowsBlock(rows);
    return ",\n" + deeper + "std::vector<" + TypeOf(rows.element) + ">(" + block + " + " +
           start(first) + ", " + block + " + " + start(last) + "),\n" + deeper +
           start(first);
  }

  // Whether `index` is one of the element's container's.
  static std::string InRange(const OwnElement &element, const std::string &index) {
    return "static_cast<std::size_t>(" + index + ") < " + Name(element.var) + ".size()";
  }

  // An expression's text, parenthesised unless it is a name, a literal or a call.
  std::string Grouped(const Expr *expr) const {
    std::string text = edits_.Text(expr->getSourceRange());
    const Expr *bare = expr->IgnoreImpCasts();
    if (isa<DeclRefExpr, IntegerLiteral, CallExpr, ParenExpr, MemberExpr,
            UnaryExprOrTypeTraitExpr>(bare))
      return text;
    return "(" + text + ")";
  }

  // The update statements, replayed on one iteration's results (`access` leads to
  // its fields), at `indent` plus one step.
  std::string Replay(const std::string &access, const std::string &indent) {
    const std::string inner = indent + layout_.step;
    std::string gather;
    for (size_t i = 0; i < plan_.updates.size(); ++i) {
      const UpdateStatement &update = plan_.updates[i];
      std::string field = access + fields_[i].name;
      if (update.parts.empty()) {
        std::string times = unit_.edits.UniqueName("times");
        gather += inner + "for (unsigned long long " + times + " = 0; " + times + " < " +
                  field + "; ++" + times + ")\n" + inner + layout_.step +
                  DriverSide(update, "", inner + layout_.step) + "\n";
      } else if (update.once || FoldsToOneValue(update)) {
        gather += inner + DriverSide(update, field, inner) + "\n";
      } else if (update.tally_extent != 0) {
        // Each element's runs are one operation repeated: replayed that many times.
        std::string entry = unit_.edits.UniqueName("update");
        std::string times = unit_.edits.UniqueName("times");
        const std::string deeper = inner + layout_.step + layout_.step;
        gather += inner + "for (std::size_t " + entry + " = 0; " + entry + " < " + field +
                  ".size(); ++" + entry + ")\n" + inner + layout_.step + "for (auto " +
                  times + " = " + field + "[" + entry + "]; " + times + " != 0; --" +
                  times + ")\n" + deeper + DriverSide(update, entry, deeper) + "\n";
      } else {
        std::string entry = unit_.edits.UniqueName("update");
        gather += inner + "for (const auto &" + entry + " : " + field + ")\n" + inner +
                  layout_.step + DriverSide(update, entry, inner + layout_.step) + "\n";
      }
    }
    for (const OwnSlice &slice : plan_.slices) {
      gather += SliceCopy(slice, Name(slice.var), access + slice_fields_.at(slice.var),
                          access + counter_field_, inner, false, true);
    }
    for (const VarDecl *var : plan_.copied) {
      std::string copy = access + slice_fields_.at(var);
      gather += inner + "if (!" + copy + ".empty())\n" + inner + layout_.step +
                "std::memcpy(" + DriverName(var) + ", " + copy + ".data(), " + copy +
                ".size() * sizeof(" + ElementType(var) + "));\n";
    }
    // A task's result holds its row; of a chunk's results, only the last its rows.
    for (const OwnRows &rows : plan_.rows) {
      std::string field = access + slice_fields_.at(rows.var);
      gather += inner + "if (!" + field + ".empty())\n" + inner + layout_.step +
                "std::copy(" + field + ".begin(), " + field + ".end(), " +
                RowsBlock(rows) + " + " + access + row_first_fields_.at(rows.var) +
                ");\n";
    }
    for (const OwnElement &element : plan_.elements) {
      std::string at = access + counter_field_;
      std::string store = Name(element.var) + "[" + at + "] = " + access +
                          slice_fields_.at(element.var) + ";\n";
      gather += element.always ? inner + store
                               : inner + "if (" + InRange(element, at) + ")\n" + inner +
                                     layout_.step + store;
    }
    return gather;
  }

  const OutlineOptions &options_;
  std::optional<CountedRange> range_;
  std::string chunk_name_;
  // The lambda that runs the loop as written (AsWritten), when there is one.
  std::string here_;
  /// The struct each captured C array travels in.
  std::map<const VarDecl *, std::string> boxes_;
  // Captured integers the source fixes where the loop runs (FixedValue): the task
  // declares them as constants instead of being sent them.
  std::map<const VarDecl *, long long> fixed_;
  std::map<const VarDecl *, std::string> box_parameters_;
  std::map<const VarDecl *, std::string> block_parameters_;  // Blocked captures
  /// Parameters of restored globals the body does not read itself.
  std::map<const VarDecl *, std::string> restored_parameters_;
  const Stmt *loop_;
  const Stmt *body_;
  const Stmt *parent_;
  const FunctionDecl *function_;
  const IterationPlan &plan_;
  TranslationUnit &unit_;
  FileEditor &edits_;
  LoopLayout layout_{};
  std::string name_, result_type_, result_;
  std::vector<Field> fields_;
  /// For each OwnSlice and OwnElement: its field in the result, and the task's own
  /// copy of the array or the element it was sent.
  std::map<const VarDecl *, std::string> slice_fields_, own_arrays_;
  /// For each OwnElement: the chunk function's parameter holding the chunk's elements.
  std::map<const VarDecl *, std::string> element_chunks_;
  /// For each OwnRows: the task's parameter saying where in the block the rows it was
  /// sent start, and the result's field that carries it back.
  std::map<const VarDecl *, std::string> row_starts_, row_first_fields_;
  // What stands for the size of each container whose size the body asks: the task's
  // parameter, or a std::array's constant extent.
  std::map<const VarDecl *, std::string> element_sizes_;
  // The sizes sent after the elements, in the order of the plan's elements: those the
  // body asks and the container's type does not fix.
  std::vector<std::pair<const VarDecl *, std::string>> size_parameters_;
  std::string counter_field_, slice_row_;
  /// With copied scratch arrays: the task's parameter saying whether it runs the
  /// loop's last iteration.
  std::string keep_last_;
  /// With `plan_.walked`: the fields holding the element as the iteration left it,
  /// one for each of WalkedValues().
  std::vector<std::string> walked_fields_;
  std::set<const TagDecl *> needs_define_;
};

}  // namespace

std::optional<Refusal> OutlineLoop(const Stmt *loop, const Stmt *parent,
                                   const FunctionDecl *function,
                                   const IterationPlan &plan,
                                   const OutlineOptions &options, TranslationUnit &unit,
                                   LoopConversion &conversion) {
  Outliner outliner(loop, parent, function, plan, options, unit);
  if (auto refusal = outliner.Check()) return refusal;
  outliner.Emit(conversion);
  return std::nullopt;
}

}  // namespace rayify

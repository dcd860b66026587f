#include "conversions/RayBoilerplate.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/Stmt.h>
#include <clang/Basic/SourceManager.h>

#include <regex>
#include <set>
#include <stdexcept>

namespace rayify {
namespace {

using namespace clang;

// Offset just past the last #include line that precedes the first declaration of
// the file; 0 when there is none.
unsigned AfterIncludes(const std::string &text, unsigned first_decl) {
  unsigned after = 0;
  size_t line = 0;
  while (line < text.size() && line < first_decl) {
    size_t end = text.find('\n', line);
    if (end == std::string::npos) end = text.size();
    size_t hash = text.find_first_not_of(" \t", line);
    if (hash != std::string::npos && hash < end && text[hash] == '#') {
      size_t directive = text.find_first_not_of(" \t", hash + 1);
      // #pragma once belongs to the top of a header, before what it includes.
      if (directive != std::string::npos &&
          (text.compare(directive, 7, "include") == 0 ||
           text.compare(directive, 11, "pragma once") == 0)) {
        after = static_cast<unsigned>(std::min(end + 1, text.size()));
      }
    }
    line = end + 1;
  }
  return after;
}

// Offset of the line of the first declaration `edits`' file makes at file scope.
unsigned FirstDeclarationOffset(ASTContext &context, FileEditor &edits) {
  const SourceManager &sources = context.getSourceManager();
  for (const Decl *decl : context.getTranslationUnitDecl()->decls()) {
    SourceLocation loc = sources.getExpansionLoc(decl->getLocation());
    if (sources.getFileID(loc) == edits.File() && !decl->isImplicit()) {
      return edits.LineStart(edits.Offset(decl->getBeginLoc()));
    }
  }
  return static_cast<unsigned>(edits.FileText().size());
}

}  // namespace

unsigned IncludePoint(ASTContext &context, FileEditor &edits) {
  return AfterIncludes(edits.FileText(), FirstDeclarationOffset(context, edits));
}

namespace {

// A header that gets MSGPACK_DEFINE must include what defines it: it may be included
// before the Ray include of the converted file, or by files rayify did not convert.
void IncludeRayApi(ASTContext &context, FileEditor &header,
                   std::set<const FileEditor *> &done) {
  if (!done.insert(&header).second) return;
  unsigned point = IncludePoint(context, header);
  header.InsertAhead(point,
                     "#include <ray/api.h>  // MSGPACK_DEFINE (added by rayify)\n");
}

// Whether `record` is exactly the fields MSGPACK_DEFINE lists, copied the way msgpack
// reproduces them: no base, no bit-field (std::tie cannot name one), no reference, no
// copy of its own making; and all of them public, so that the accessor added beside
// them opens nothing the class kept to itself. The bundled runtime then keeps a value put
// in the store as it is and reads one field by field, instead of encoding it and decoding
// it through msgpack's objects (a vector of 400000 points was 40 ms a round in a
// k-means).
bool CopiedAsEncoded(const CXXRecordDecl *record) {
  if (record->getNumBases() != 0 || record->isPolymorphic() ||
      record->hasUserDeclaredCopyConstructor() ||
      record->hasUserDeclaredCopyAssignment()) {
    return false;
  }
  for (const FieldDecl *field : record->fields()) {
    if (field->isBitField() || field->getName().empty() ||
        field->getType()->isReferenceType() || field->getAccess() != AS_public) {
      return false;
    }
  }
  return !record->field_empty();
}

void AddMsgpackDefine(const CXXRecordDecl *record, EditBuilder &builder,
                      std::set<const FileEditor *> &headers_with_include) {
  FileEditor *editor = builder.For(record->getLocation());
  if (editor == nullptr) {
    throw std::runtime_error("'" + record->getQualifiedNameAsString() +
                             "' needs MSGPACK_DEFINE but is declared in a system header");
  }
  FileEditor &edits = *editor;
  if (editor != &builder.Main()) {
    IncludeRayApi(record->getASTContext(), edits, headers_with_include);
  }
  std::string fields;
  std::string indent = "    ";
  bool first = true;
  for (const FieldDecl *field : record->fields()) {
    if (first) indent = edits.LineIndent(field->getBeginLoc());
    fields += (first ? "" : ", ") + field->getNameAsString();
    first = false;
  }
  // msgpack calls the generated members from outside the class.
  bool ends_public = record->isStruct();
  for (const Decl *decl : record->decls()) {
    if (const auto *access = dyn_cast<AccessSpecDecl>(decl)) {
      ends_public = access->getAccess() == AS_public;
    }
  }
  // msgpack decodes into a default-constructed object; every field is decoded.
  std::string constructor =
      SerializabilityChecker::NeedsDefaultConstructor(record)
          ? record->getNameAsString() + "() = default;  // for msgpack (added by rayify)"
          : "";
  std::string tie = CopiedAsEncoded(record)
                        ? "auto rayify_fields() { return std::tie(" + fields + "); }"
                        : "";
  std::string line = (ends_public ? "" : "public:\n") +
                     (constructor.empty() ? "" : indent + constructor + "\n") + indent +
                     "MSGPACK_DEFINE(" + fields + ");\n" +
                     (tie.empty() ? "" : indent + tie + "  // for rayify's runtime\n");
  unsigned brace = edits.Offset(record->getBraceRange().getEnd());
  unsigned line_start = edits.LineStart(brace);
  const std::string &text = edits.FileText();
  if (text.find_first_not_of(" \t", line_start) == brace) {
    edits.Insert(line_start, line);
  } else {
    bool spaced = brace > 0 && text[brace - 1] == ' ';
    std::string inline_constructor =
        constructor.empty() ? "" : record->getNameAsString() + "() = default; ";
    edits.Insert(brace, (spaced ? "" : " ") + std::string(ends_public ? "" : "public: ") +
                            inline_constructor + "MSGPACK_DEFINE(" + fields + "); " +
                            (tie.empty() ? "" : tie + " "));
  }
}

// MSGPACK_ADD_ENUM(E); at global scope on the line after the enum's definition:
// msgpack then encodes its values as their underlying integers.
void AddMsgpackEnum(const EnumDecl *enumeration, EditBuilder &builder,
                    std::set<const FileEditor *> &headers_with_include) {
  FileEditor *editor = builder.For(enumeration->getLocation());
  if (editor == nullptr) {
    throw std::runtime_error(
        "'" + enumeration->getQualifiedNameAsString() +
        "' needs MSGPACK_ADD_ENUM but is declared in a system header");
  }
  FileEditor &edits = *editor;
  if (editor != &builder.Main()) {
    IncludeRayApi(enumeration->getASTContext(), edits, headers_with_include);
  }
  const std::string &text = edits.FileText();
  // At global scope, right after the enum: the namespaces around it are closed for
  // the line and opened again as they were, so that code later in them may send it.
  std::string close, reopen;
  for (const DeclContext *context = enumeration->getDeclContext();
       !context->isTranslationUnit(); context = context->getParent()) {
    const auto *space = cast<NamespaceDecl>(context);
    close += "} ";
    reopen = std::string(space->isInline() ? "inline " : "") + "namespace " +
             space->getNameAsString() + " { " + reopen;
  }
  size_t end = text.find(';', edits.Offset(enumeration->getBraceRange().getEnd()));
  if (end == std::string::npos) end = text.size() - 1;
  std::string add = "MSGPACK_ADD_ENUM(" + enumeration->getQualifiedNameAsString() + ");";
  if (close.empty()) {
    // At file scope, on a line of its own after the declaration's.
    size_t line_end = text.find('\n', end);
    if (line_end == std::string::npos) line_end = text.size();
    edits.Insert(static_cast<unsigned>(line_end),
                 "\n" + add + "  // for msgpack (added by rayify)");
    return;
  }
  // Inside namespaces, right after the declaration, on its line: what follows on the
  // line (a namespace's closing brace) stays inside the reopened namespaces.
  edits.Insert(static_cast<unsigned>(end + 1),
               " " + close + add + " " + reopen + "/* for msgpack (added by rayify) */");
}

// What the new main passes on: argc, argv and envp (from `environ`), each converted
// to the parameter type the original declared (`const char *argv[]`, say).
std::string MainArguments(const FunctionDecl *main) {
  static const char *const kSources[] = {"argc", "argv", "environ"};
  static const char *const kTypes[] = {"int", "char **", "char **"};
  ASTContext &context = main->getASTContext();
  std::string arguments;
  for (unsigned i = 0; i < main->getNumParams() && i < 3; ++i) {
    QualType type = main->getParamDecl(i)->getType();
    std::string spelled = type.getAsString(context.getPrintingPolicy());
    std::string source = kSources[i];
    if (spelled != kTypes[i]) source = "(" + spelled + ")" + source;
    arguments += (i == 0 ? "" : ", ") + source;
  }
  return arguments;
}

// The program's main keeps its body and becomes `static int rayify_original_main`,
// called by the template's main.
std::string RenameMain(const FunctionDecl *main, FileEditor &edits) {
  edits.Insert(edits.Offset(main->getBeginLoc()), "static ");
  unsigned name = edits.Offset(main->getLocation());
  edits.Replace(name, name + 4, "rayify_original_main");
  // Falling off the end is only defined for main itself.
  const auto *body = dyn_cast_or_null<CompoundStmt>(main->getBody());
  if (body != nullptr && (body->body_empty() || !isa<ReturnStmt>(body->body_back()))) {
    unsigned brace = edits.Offset(body->getRBracLoc());
    std::string step = "    ";
    if (!body->body_empty()) step = edits.LineIndent(body->body_back()->getBeginLoc());
    unsigned line_start = edits.LineStart(brace);
    if (edits.FileText().find_first_not_of(" \t", line_start) == brace) {
      edits.Insert(line_start, step + "return 0;\n");
    } else {
      edits.Insert(brace, " return 0; ");
    }
  }
  return "rayify_original_main(" + MainArguments(main) + ")";
}

// Macros the program defines before the point where the conversion includes the Ray
// and standard headers: those headers would see them. A function-like `max(a, b)`
// (NPB's common header) rewrites their calls of `std::max(`, and an object-like `N`
// or `ARRAY` (a size, in C style) their template parameters and enumerators. Hidden
// around the headers and restored after them, so the program's code sees them as
// before. Left alone: reserved names (`_GNU_SOURCE`) and the switches of the libraries
// included (`NDEBUG`, `BOOST_`, `MSGPACK_`, `RAY_`), which are meant for them.
bool HidesFromHeaders(const std::string &name) {
  static const char *const kMeantForThem[] = {"BOOST_", "MSGPACK_", "RAY_", "RAYIFY_"};
  if (name.empty() || name[0] == '_' || name == "NDEBUG") return false;
  for (const char *prefix : kMeantForThem) {
    if (name.rfind(prefix, 0) == 0) return false;
  }
  return true;
}

void AddDefinedNames(const std::string &text, std::set<std::string> &names) {
  static const std::regex kDefine(R"(^[ \t]*#[ \t]*define[ \t]+([A-Za-z_][A-Za-z0-9_]*))",
                                  std::regex::multiline);
  for (auto match = std::sregex_iterator(text.begin(), text.end(), kDefine);
       match != std::sregex_iterator(); ++match) {
    if (HidesFromHeaders((*match)[1].str())) names.insert((*match)[1].str());
  }
}

// What the main file defines up to `include_point`, and what the program's headers it
// includes (through any others) before that point define.
std::set<std::string> MacrosBeforeIncludes(const SourceManager &sources,
                                           unsigned include_point) {
  std::set<std::string> names;
  FileID main = sources.getMainFileID();
  llvm::StringRef main_text = sources.getBufferData(main);
  AddDefinedNames(main_text.substr(0, include_point).str(), names);
  for (unsigned i = 0; i < sources.local_sloc_entry_size(); ++i) {
    const SrcMgr::SLocEntry &entry = sources.getLocalSLocEntry(i);
    if (!entry.isFile() || entry.getFile().getFileCharacteristic() != SrcMgr::C_User) {
      continue;
    }
    SourceLocation included = entry.getFile().getIncludeLoc();
    if (included.isInvalid()) continue;  // the main file, or the compiler's own
    while (included.isValid() && sources.getFileID(included) != main)
      included = sources.getIncludeLoc(sources.getFileID(included));
    if (included.isInvalid() || sources.getFileOffset(included) >= include_point)
      continue;
    std::optional<llvm::MemoryBufferRef> buffer =
        entry.getFile().getContentCache().getBufferIfLoaded();
    if (buffer) AddDefinedNames(buffer->getBuffer().str(), names);
  }
  return names;
}

}  // namespace

void RayBoilerplatePass::Finish() {
  TranslationUnit &unit = Unit();
  // main's file connects to Ray also when only other files of the program submit
  // tasks; another file that submits needs the API but leaves main to its own file.
  if (!unit.SubmitsTasks() && !unit.ConnectsForProject()) return;
  bool has_main = unit.calls.Main() != nullptr;
  FileEditor &edits = unit.edits.Main();
  const std::string &text = edits.FileText();
  unsigned include_point = IncludePoint(unit.context, edits);
  // Ahead of everything else inserted here: code generated before a function that
  // directly follows the last include needs the Ray API above it.
  if (include_point > 0) edits.InsertAhead(include_point, "\n");
  std::set<std::string> hidden =
      MacrosBeforeIncludes(unit.context.getSourceManager(), include_point);
  if (!hidden.empty()) {
    std::string push =
        "// The program's macros of these names would rewrite the headers below.\n";
    for (const std::string &name : hidden) {
      push += "#pragma push_macro(\"" + name + "\")\n#undef " + name + "\n";
    }
    edits.InsertAhead(include_point, push);
  }
  edits.InsertTemplateAhead(include_point,
                            {"prologue.inc", {{"INPUT", unit.input_name}}});
  for (const std::string &header : unit.extra_includes) {
    edits.InsertAhead(include_point, "#include <" + header + ">\n");
  }
  for (const auto &[name, definition] : unit.shared_definitions) {
    edits.InsertAhead(include_point, "\n" + definition);
  }
  for (const std::string &name : hidden) {
    edits.InsertAhead(include_point, "#pragma pop_macro(\"" + name + "\")\n");
  }
  if (include_point == 0) edits.InsertAhead(include_point, "\n");

  std::set<const FileEditor *> headers_with_include;
  for (const TagDecl *type : unit.needs_define) {
    if (const auto *record = dyn_cast<CXXRecordDecl>(type))
      AddMsgpackDefine(record, unit.edits, headers_with_include);
    else if (const auto *enumeration = dyn_cast<EnumDecl>(type))
      AddMsgpackEnum(enumeration, unit.edits, headers_with_include);
  }

  std::string tail = text.empty() || text.back() == '\n' ? "" : "\n";
  // Tasks defined in other files are registered there (the driver adds it).
  if (!unit.remote_functions.empty()) {
    tail += "\nRAY_REMOTE(";
    for (size_t i = 0; i < unit.remote_functions.size(); ++i) {
      tail += (i == 0 ? "" : ", ") + unit.remote_functions[i];
    }
    tail += ");\n";
  }
  auto end = static_cast<unsigned>(text.size());
  edits.Insert(end, tail);
  if (!has_main) return;
  std::string main_call = RenameMain(unit.calls.Main(), edits);
  edits.InsertTemplate(end, {"main.inc", {{"ORIGINAL_MAIN_CALL", main_call}}});
}

}  // namespace rayify

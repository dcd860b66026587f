#include "analysis/Serializability.h"

#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>

#include <map>

namespace rayify {

bool IsNumberArray(clang::QualType type) {
  const auto *array =
      clang::dyn_cast<clang::ConstantArrayType>(type.getCanonicalType().getTypePtr());
  if (array == nullptr) return false;
  clang::QualType element = array->getElementType();
  while (const auto *inner =
             clang::dyn_cast<clang::ConstantArrayType>(element.getTypePtr())) {
    element = inner->getElementType();
  }
  return element->isArithmeticType() && !element->isAnyCharacterType() &&
         !element->isSpecificBuiltinType(clang::BuiltinType::SChar) &&
         !element->isSpecificBuiltinType(clang::BuiltinType::UChar) &&
         !element.isVolatileQualified();
}
bool HoldsExactly(clang::QualType container, clang::QualType element) {
  container = container.getNonReferenceType().getCanonicalType();
  element = element.getCanonicalType().getUnqualifiedType();
  if (const auto *array =
          clang::dyn_cast<clang::ConstantArrayType>(container.getTypePtr()))
    return array->getElementType().getCanonicalType().getUnqualifiedType() == element;
  const auto *spec = clang::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(
      container->getAsCXXRecordDecl());
  if (spec == nullptr || !spec->isInStdNamespace() ||
      spec->getTemplateArgs().size() == 0 ||
      spec->getTemplateArgs()[0].getKind() != clang::TemplateArgument::Type)
    return false;
  llvm::StringRef name = spec->getName();
  return (name == "vector" || name == "array" || name == "deque") &&
         spec->getTemplateArgs()[0].getAsType().getCanonicalType().getUnqualifiedType() ==
             element;
}

namespace {

using namespace clang;

// Standard containers msgpack-cxx encodes, and which of their template arguments
// hold values (the rest are allocators, comparators and hashers).
const std::map<std::string, unsigned> kStandardContainers = {
    {"std::vector", 1},  {"std::list", 1},       {"std::deque", 1},
    {"std::set", 1},     {"std::multiset", 1},   {"std::unordered_set", 1},
    {"std::map", 2},     {"std::multimap", 2},   {"std::unordered_map", 2},
    {"std::pair", 2},    {"std::tuple", 0xffff}, {"std::array", 1},
    {"std::optional", 1}};

// The template argument that orders an ordered container's keys.
const std::map<std::string, unsigned> kComparatorArgument = {
    {"std::set", 1}, {"std::multiset", 1}, {"std::map", 2}, {"std::multimap", 2}};

// A comparator that the container rebuilt at the other end, which default-constructs
// it, orders by as the original did: std::less, std::greater, or a class without
// state. Not a function pointer (null once default-constructed) nor a class with
// members (`ByMod{3}` comparing keys modulo 3 merged other keys).
bool OrdersLikeItsDefault(QualType comparator) {
  const auto *record = comparator.getCanonicalType()->getAsCXXRecordDecl();
  if (record == nullptr || !record->hasDefinition()) return false;
  std::string name = record->getQualifiedNameAsString();
  return name == "std::less" || name == "std::greater" || record->isEmpty();
}

// The vector and string types the program's own code (not the library's) calls
// capacity() on.
class CapacityCalls : public RecursiveASTVisitor<CapacityCalls> {
 public:
  explicit CapacityCalls(ASTContext &context) : sources_(context.getSourceManager()) {}

  bool TraverseDecl(Decl *decl) {
    if (decl != nullptr && !isa<TranslationUnitDecl>(decl) &&
        sources_.isInSystemHeader(decl->getLocation())) {
      return true;
    }
    return RecursiveASTVisitor::TraverseDecl(decl);
  }

  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *call) {
    const CXXMethodDecl *method = call->getMethodDecl();
    const Expr *object = call->getImplicitObjectArgument();
    if (method == nullptr || object == nullptr || !method->getDeclName().isIdentifier() ||
        method->getName() != "capacity") {
      return true;
    }
    QualType type = object->getType();
    if (type->isPointerType()) type = type->getPointeeType();
    types.insert(type.getCanonicalType().getUnqualifiedType().getTypePtr());
    return true;
  }

  std::set<const Type *> types;

 private:
  const SourceManager &sources_;
};

}  // namespace

bool InNamedNamespacesOnly(const Decl *decl) {
  for (const DeclContext *context = decl->getDeclContext(); !context->isTranslationUnit();
       context = context->getParent()) {
    const auto *space = dyn_cast<NamespaceDecl>(context);
    if (space == nullptr || space->isAnonymousNamespace()) return false;
  }
  return true;
}

bool SerializabilityChecker::HasMsgpackSupport(const CXXRecordDecl *record) {
  for (const auto *method : record->methods()) {
    if (method->getDeclName().isIdentifier() && method->getName() == "msgpack_pack") {
      return true;
    }
  }
  for (const auto *decl : record->decls()) {
    if (const auto *templ = dyn_cast<FunctionTemplateDecl>(decl)) {
      if (templ->getDeclName().isIdentifier() && templ->getName() == "msgpack_pack") {
        return true;
      }
    }
  }
  return false;
}

bool SerializabilityChecker::Check(QualType type, std::string &why,
                                   std::set<const TagDecl *> &needs_define) {
  return CheckEncoding(type, why, needs_define) && CheckCopies(type, why);
}

bool SerializabilityChecker::CheckCopies(QualType type, std::string &why) {
  if (effects_ == nullptr) return true;
  Effects copies = effects_->OfCopies(type);
  // The first effect a copy could have outside itself, in the order loops are judged.
  std::string effect = copies.untracked_write
                           ? "writes through a pointer or reference rayify cannot follow"
                           : "";
  for (const std::string *phrase :
       {&copies.exits, &copies.io, &copies.global_write, &copies.unshared_state,
        &copies.unknown_call, &copies.not_visible, &copies.may_throw}) {
    if (!phrase->empty()) {
      effect = *phrase;
      break;
    }
  }
  if (effect.empty()) return true;
  why = "making, copying or destroying a value of type '" +
        type.getNonReferenceType().getUnqualifiedType().getAsString(
            context_.getPrintingPolicy()) +
        "' " + effect +
        ", and a task and the driver make and destroy copies the program does not";
  return false;
}

bool SerializabilityChecker::CheckEncoding(QualType type, std::string &why,
                                           std::set<const TagDecl *> &needs_define) {
  QualType canonical = type.getNonReferenceType().getCanonicalType().getUnqualifiedType();
  std::string spelled = type.getNonReferenceType().getUnqualifiedType().getAsString(
      context_.getPrintingPolicy());
  if (const auto *builtin = canonical->getAs<BuiltinType>()) {
    switch (builtin->getKind()) {
      case BuiltinType::LongDouble:
      case BuiltinType::Int128:
      case BuiltinType::UInt128:
      case BuiltinType::Float128:
      case BuiltinType::Ibm128:
      case BuiltinType::Half:
      case BuiltinType::Float16:
      case BuiltinType::BFloat16:
        why = "'" + spelled + "' has no msgpack encoding that keeps its value";
        return false;
      default:
        break;
    }
    if (canonical->isArithmeticType()) return true;
    why = "'" + spelled + "' is not a value type";
    return false;
  }
  if (const auto *enumeration = canonical->getAs<EnumType>()) {
    // rayify adds MSGPACK_ADD_ENUM, which specializes msgpack's templates and so
    // stands at global scope, after an enum of the program's own declared at file
    // scope or in named namespaces (closed for it and opened again).
    const EnumDecl *declared = enumeration->getDecl()->getDefinition();
    if (declared != nullptr && declared->getIdentifier() != nullptr &&
        InNamedNamespacesOnly(declared) &&
        !context_.getSourceManager().isInSystemHeader(declared->getLocation())) {
      needs_define.insert(declared);
      return true;
    }
    why = "the enum '" + spelled + "' has no msgpack encoding (MSGPACK_ADD_ENUM)" +
          (declared != nullptr && !InNamedNamespacesOnly(declared)
               ? ", and rayify adds one only to an enum declared at file scope or in "
                 "named namespaces"
               : "");
    return false;
  }
  if (canonical->isPointerType() || canonical->isMemberPointerType()) {
    why = "'" + spelled + "' is a pointer, which means nothing in another process";
    return false;
  }
  const auto *record = canonical->getAsCXXRecordDecl();
  if (record == nullptr) {
    why = "'" + spelled + "' cannot be encoded with msgpack";
    return false;
  }
  // An object reached by reference may be of a class derived from the one named; a
  // copy would be cut down to that class, its virtual functions with it.
  if (type->isReferenceType() && record->hasDefinition() &&
      record->getDefinition()->isPolymorphic()) {
    why = "'" + spelled + "' is polymorphic and reached by reference: a copy would " +
          "lose the class of the object it refers to";
    return false;
  }
  if (const auto *spec = dyn_cast<ClassTemplateSpecializationDecl>(record)) {
    std::string name = spec->getQualifiedNameAsString();
    if ((name == "std::vector" || name == "std::basic_string") &&
        CapacityObserved(canonical)) {
      why = "the program asks a '" + spelled +
            "' for its capacity(), which a copy rebuilt from its elements need not keep";
      return false;
    }
    if (name == "std::basic_string") {
      const TemplateArgument &character = spec->getTemplateArgs()[0];
      if (character.getKind() == TemplateArgument::Type &&
          character.getAsType()->isCharType()) {
        return true;
      }
    }
    if (kStandardContainers.count(name) != 0) {
      return CheckStandard(spec, why, needs_define);
    }
  }
  if (context_.getSourceManager().isInSystemHeader(record->getLocation()) ||
      record->isInStdNamespace()) {
    why = "'" + spelled + "' is a library type msgpack cannot encode";
    return false;
  }
  return CheckUserRecord(record, why, needs_define);
}

bool SerializabilityChecker::CheckStandard(const ClassTemplateSpecializationDecl *spec,
                                           std::string &why,
                                           std::set<const TagDecl *> &needs_define) {
  std::string name = spec->getQualifiedNameAsString();
  // msgpack writes the elements in the container's order and inserts them in that
  // order at the other end, which for a hash table need not give the same order back:
  // a program iterating over what a task returned printed its words in another order.
  if (name.rfind("std::unordered_", 0) == 0) {
    why = "'" + name +
          "' iterates in an order that the copy a task or the driver rebuilds from its "
          "elements need not keep";
    return false;
  }
  auto comparator = kComparatorArgument.find(name);
  const TemplateArgumentList &arguments = spec->getTemplateArgs();
  if (comparator != kComparatorArgument.end() && comparator->second < arguments.size() &&
      arguments[comparator->second].getKind() == TemplateArgument::Type &&
      !OrdersLikeItsDefault(arguments[comparator->second].getAsType())) {
    why = "'" + name + "' orders its keys with '" +
          arguments[comparator->second].getAsType().getAsString(
              context_.getPrintingPolicy()) +
          "', which the copy rebuilt at the other end default-constructs, and that "
          "one need not order them the same way";
    return false;
  }
  unsigned value_args = kStandardContainers.at(name);
  for (unsigned i = 0; i < arguments.size() && i < value_args; ++i) {
    const TemplateArgument &arg = arguments[i];
    if (arg.getKind() == TemplateArgument::Pack) {
      for (const auto &element : arg.pack_elements()) {
        if (element.getKind() == TemplateArgument::Type &&
            !CheckEncoding(element.getAsType(), why, needs_define)) {
          return false;
        }
      }
    } else if (arg.getKind() == TemplateArgument::Type &&
               !CheckEncoding(arg.getAsType(), why, needs_define)) {
      return false;
    }
  }
  return true;
}

namespace {

const CXXConstructorDecl *DeclaredDefaultConstructor(const CXXRecordDecl *record) {
  for (const CXXConstructorDecl *constructor : record->ctors()) {
    if (constructor->isDefaultConstructor()) return constructor;
  }
  return nullptr;
}

// A default constructor msgpack can call: a public one the class declares, the
// implicit one, or the one rayify adds (NeedsDefaultConstructor).
bool UsableDefaultConstructor(const CXXRecordDecl *record) {
  if (const CXXConstructorDecl *declared = DeclaredDefaultConstructor(record)) {
    return !declared->isDeleted() && declared->getAccess() == AS_public;
  }
  // An implicit one is deleted only for members CheckUserRecord refuses anyway
  // (references, const members, members that cannot be default-constructed).
  return true;
}

// A copy or move constructor or assignment the class writes itself: the program's
// copies run it, while a task and the driver get the fields as msgpack encodes them
// (a copy constructor counting copies in a field printed 2 where the program printed
// 1). `= default` is no copy of the class's own making.
const CXXMethodDecl *CopyOfItsOwn(const CXXRecordDecl *record) {
  for (const CXXConstructorDecl *constructor : record->ctors()) {
    if (constructor->isCopyOrMoveConstructor() && constructor->isUserProvided())
      return constructor;
  }
  for (const CXXMethodDecl *method : record->methods()) {
    if ((method->isCopyAssignmentOperator() || method->isMoveAssignmentOperator()) &&
        method->isUserProvided())
      return method;
  }
  return nullptr;
}

}  // namespace

bool SerializabilityChecker::CapacityObserved(QualType type) {
  if (!capacity_asked_) {
    CapacityCalls calls(context_);
    calls.TraverseDecl(context_.getTranslationUnitDecl());
    capacity_asked_ = std::move(calls.types);
  }
  return capacity_asked_->count(
             type.getCanonicalType().getUnqualifiedType().getTypePtr()) != 0;
}

bool SerializabilityChecker::NeedsDefaultConstructor(const CXXRecordDecl *record) {
  return DeclaredDefaultConstructor(record) == nullptr &&
         !record->needsImplicitDefaultConstructor() && !record->hasDefaultConstructor();
}

bool SerializabilityChecker::CheckUserRecord(const CXXRecordDecl *record,
                                             std::string &why,
                                             std::set<const TagDecl *> &needs_define) {
  const CXXRecordDecl *definition = record->getDefinition();
  std::string name = record->getQualifiedNameAsString();
  if (definition == nullptr) {
    why = "'" + name + "' is not defined in this file";
    return false;
  }
  if (CopyOfItsOwn(definition) != nullptr) {
    why = "'" + name +
          "' copies itself its own way (a copy or move constructor or assignment of "
          "its own), and a task and the driver get its fields as msgpack encodes them, "
          "not the copies it makes";
    return false;
  }
  if (HasMsgpackSupport(definition)) return true;
  if (visiting_.count(definition) != 0) return true;  // recursion is checked once
  // A polymorphic class of its own (no bases) is encoded field by field like any
  // other; Check refuses it where a copy could lose the object's class.
  if (definition->isUnion() || definition->isLambda() || definition->getNumBases() != 0) {
    why = "'" + name + "' is a union, lambda or derived class";
    return false;
  }
  if (isa<ClassTemplateSpecializationDecl>(definition)) {
    why = "'" + name + "' is a class template instance rayify does not annotate";
    return false;
  }
  if (!UsableDefaultConstructor(definition)) {
    why = "'" + name +
          "' has a deleted or non-public default constructor, and msgpack decodes into "
          "a default-constructed object";
    return false;
  }
  visiting_.insert(definition);
  bool ok = true;
  for (const FieldDecl *field : definition->fields()) {
    QualType field_type = field->getType();
    if (field->isBitField() || field->isAnonymousStructOrUnion() ||
        field_type->isReferenceType() || field_type.isConstQualified()) {
      why = "field '" + field->getNameAsString() + "' of '" + name +
            "' is a reference, const, bit-field or anonymous member";
      ok = false;
      break;
    }
    if (!CheckEncoding(field_type, why, needs_define)) {
      why = "field '" + field->getNameAsString() + "' of '" + name + "': " + why;
      ok = false;
      break;
    }
  }
  visiting_.erase(definition);
  if (ok) needs_define.insert(definition);
  return ok;
}

namespace {

// A std::pair or std::tuple with a const element (a map's `std::pair<const K, V>`):
// msgpack decodes a pair or a tuple by assigning its elements, which a const one
// refuses, so a task cannot take or return one. Its name, or "".
std::string ConstElementHolder(QualType type, const PrintingPolicy &policy) {
  const auto *spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      type.getNonReferenceType()->getAsCXXRecordDecl());
  if (spec == nullptr || !spec->isInStdNamespace() ||
      (spec->getName() != "pair" && spec->getName() != "tuple"))
    return "";
  for (const TemplateArgument &arg : spec->getTemplateArgs().asArray()) {
    bool constant =
        arg.getKind() == TemplateArgument::Type && arg.getAsType().isConstQualified();
    if (arg.getKind() == TemplateArgument::Pack) {
      for (const TemplateArgument &element : arg.pack_elements())
        constant = constant || (element.getKind() == TemplateArgument::Type &&
                                element.getAsType().isConstQualified());
    }
    if (constant)
      return type.getNonReferenceType().getUnqualifiedType().getAsString(policy);
  }
  return "";
}

}  // namespace

std::string SerializabilityChecker::CheckSignature(
    const FunctionDecl *function, std::set<const TagDecl *> &needs_define) {
  std::string why;
  const PrintingPolicy &policy = context_.getPrintingPolicy();
  for (const ParmVarDecl *param : function->parameters()) {
    std::string holder = ConstElementHolder(param->getType(), policy);
    if (!holder.empty()) {
      return "parameter '" + param->getNameAsString() + "' cannot be sent between " +
             "processes: '" + holder + "' has a const element, which msgpack cannot " +
             "decode into";
    }
  }
  if (std::string holder = ConstElementHolder(function->getReturnType(), policy);
      !holder.empty()) {
    return "its result cannot be sent between processes: '" + holder +
           "' has a const element, which msgpack cannot decode into";
  }
  // Nothing comes back from a constructor or a void method: nothing to send.
  if (!function->getReturnType()->isVoidType() &&
      !Check(function->getReturnType(), why, needs_define)) {
    return "its result cannot be sent between processes: " + why;
  }
  for (const ParmVarDecl *param : function->parameters()) {
    if (!Check(param->getType(), why, needs_define)) {
      return "parameter '" + param->getNameAsString() +
             "' cannot be sent between processes: " + why;
    }
  }
  return "";
}

}  // namespace rayify

// Rows of a flattened two-dimensional block: C code keeps a grid of `rows * cols`
// numbers in one block of a run-time size and reaches element (i, j) as
// `J[i * cols + j]`. A loop over i whose every mention of the block is such an element
// of row i, with j the counter of an inner loop `for (j = 0; j < cols; ++j)`, touches
// row i alone, elements i * cols to i * cols + cols - 1, and no other iteration's:
// the task can be sent its rows and return them, however it reads and writes them.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>
#include <clang/AST/Stmt.h>

#include <optional>
#include <string>
#include <vector>

namespace rayify {

/// The mentions of a block in a loop's body, each an element of the iteration's own
/// row, and the row's width.
struct RowMentions {
  /// The width as the index spells it (`cols` of `i * cols + j`): a variable declared
  /// before the loop that nothing changes while it runs, or a positive constant.
  const clang::Expr *width = nullptr;
  /// Every `var[index]` of the body.
  std::vector<const clang::Expr *> mentions;
  /// The inner loops whose counters walk along the row (`j`), each once: every step
  /// of one touches an element of the row.
  std::vector<const clang::ForStmt *> walks;
};

/// The mentions of `var`, a pointer, in `loop`'s body when each is a subscript
/// `var[index]` whose index lies in row `counter` of width `w`: `counter * w + j`
/// (either way round), with `j` the counter of a loop around the subscript that
/// starts at a constant of at least 0, steps by one and runs while `j < w`; or a
/// local integer set once in the body to such a sum (`k = i * cols + j;`) by a
/// statement that comes before the mention in the same block, and reached only by
/// name. Every mention has the same `w`. nullopt when any mention of `var` is of
/// another form, takes an address, or stands in a macro; with `why`, what stopped it.
std::optional<RowMentions> OwnRowMentions(const clang::Stmt *loop,
                                          const clang::VarDecl *var,
                                          const clang::VarDecl *counter,
                                          clang::ASTContext &context,
                                          std::string *why = nullptr);

}  // namespace rayify

.error.message | test("unanswered \\(unsteady-walking\\)")

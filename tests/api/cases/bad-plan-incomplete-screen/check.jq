.error.message | test("unanswered")

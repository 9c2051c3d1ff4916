.pattern == "myofascial" and .candidates[0].cause == "tp:gluteus-minimus-anterior" and (.notice | test("not a diagnosis")) and (.pattern_sentence | test("trigger points"))

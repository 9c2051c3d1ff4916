.[0] | .pattern == "radicular" and (.advice | any(test("possible nerve root problem")))

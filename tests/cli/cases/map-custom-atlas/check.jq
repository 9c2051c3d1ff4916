.[0] | .candidates[0].cause == "tp:piriformis" and all(.candidates[]; .cause == "tp:piriformis" or .cause == "root:S1")

.[0].warnings == []

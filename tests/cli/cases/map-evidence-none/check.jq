.[0].evidence == []

"""Translation memories: the contract (:mod:`~hexaglot.tm.memory`), the desk's SQLite store
(:mod:`~hexaglot.tm.store`) with its keys and scores (:mod:`~hexaglot.tm.text`,
:mod:`~hexaglot.tm.scoring`), TMX in and out (:mod:`~hexaglot.tm.tmx`) and the ``hexaglot
tm`` command (:mod:`~hexaglot.tm.commands`)."""

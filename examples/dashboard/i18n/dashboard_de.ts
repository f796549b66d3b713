<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>CounterChip</name>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>QtTaskManager Dashboard</source>
        <translation>QtTaskManager-Dashboard</translation>
    </message>
    <message>
        <source>“%1” ignored the cancellation and was abandoned after %2 s.</source>
        <translation>„%1“ hat den Abbruch ignoriert und wurde nach %2 s aufgegeben.</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Aufgaben</translation>
    </message>
    <message>
        <source>running</source>
        <translation>laufen</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>warten</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>Start work</source>
        <translation>Arbeit starten</translation>
    </message>
    <message>
        <source>Count primes</source>
        <translation>Primzahlen zählen</translation>
    </message>
    <message>
        <source>Thread pool · sieve to 40 million, cancellable</source>
        <translation>Thread-Pool · Sieb bis 40 Millionen, abbrechbar</translation>
    </message>
    <message>
        <source>Hash chain</source>
        <translation>Hash-Kette</translation>
    </message>
    <message>
        <source>Thread pool · 1.5 million SHA-256 rounds</source>
        <translation>Thread-Pool · 1,5 Millionen SHA-256-Runden</translation>
    </message>
    <message>
        <source>Fetch and merge</source>
        <translation>Abrufen und zusammenführen</translation>
    </message>
    <message>
        <source>Coroutine · awaits timers and a QtConcurrent future</source>
        <translation>Koroutine · wartet auf Timer und ein QtConcurrent-Future</translation>
    </message>
    <message>
        <source>Import broken file</source>
        <translation>Defekte Datei importieren</translation>
    </message>
    <message>
        <source>Coroutine · fails with a JSON parse error</source>
        <translation>Koroutine · scheitert an einem JSON-Syntaxfehler</translation>
    </message>
    <message>
        <source>Legacy export</source>
        <translation>Alter Export</translation>
    </message>
    <message>
        <source>Thread pool · ignores cancellation, abandoned after 1.5 s</source>
        <translation>Thread-Pool · ignoriert den Abbruch, nach 1,5 s aufgegeben</translation>
    </message>
    <message>
        <source>Burst of 1000</source>
        <translation>1000 auf einmal</translation>
    </message>
    <message>
        <source>1000 short thread-pool tasks at once</source>
        <translation>1000 kurze Thread-Pool-Aufgaben gleichzeitig</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>Alle abbrechen</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>Beendete entfernen</translation>
    </message>
    <message>
        <source>%1 model updates · worst latency %2 ms</source>
        <translation>%1 Modell-Aktualisierungen · höchste Latenz %2 ms</translation>
    </message>
    <message>
        <source>Show tasks</source>
        <translation>Aufgaben anzeigen</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Filter by name</source>
        <translation>Nach Name filtern</translation>
    </message>
    <message>
        <source>Task list</source>
        <translation>Aufgabenliste</translation>
    </message>
    <message>
        <source>Up and Down choose a task, Delete cancels it.</source>
        <translation>Pfeil hoch und runter wählen eine Aufgabe, Entf bricht sie ab.</translation>
    </message>
    <message>
        <source>No tasks yet. Start some work on the left.</source>
        <translation>Noch keine Aufgaben. Starten Sie links etwas Arbeit.</translation>
    </message>
    <message>
        <source>No task matches the filter.</source>
        <translation>Keine Aufgabe passt zum Filter.</translation>
    </message>
</context>
<context>
    <name>StateBadge</name>
    <message>
        <source>Cancelling</source>
        <translation>Wird abgebrochen</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
</context>
<context>
    <name>TaskRow</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>coroutine</source>
        <translation>Koroutine</translation>
    </message>
    <message>
        <source>thread pool</source>
        <translation>Thread-Pool</translation>
    </message>
    <message>
        <source>future</source>
        <translation>Future</translation>
    </message>
    <message>
        <source>%1, %2, %3</source>
        <translation>%1, %2, %3</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Progress of %1</source>
        <translation>Fortschritt von %1</translation>
    </message>
    <message>
        <source>Elapsed time</source>
        <translation>Verstrichene Zeit</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>noch %1</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Verbleibende Zeit</translation>
    </message>
    <message>
        <source>Waiting on</source>
        <translation>Wartet auf</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel %1</source>
        <translation>%1 abbrechen</translation>
    </message>
    <message>
        <source>group</source>
        <translation>Gruppe</translation>
    </message>
    <message>
        <source>attempt %1 of %2</source>
        <translation>Versuch %1 von %2</translation>
    </message>
    <message>
        <source>Show the tasks of %1</source>
        <translation>Aufgaben von %1 zeigen</translation>
    </message>
    <message>
        <source>Hide the tasks of %1</source>
        <translation>Aufgaben von %1 ausblenden</translation>
    </message>
    <message>
        <source>fail fast</source>
        <translation>beim ersten Fehler abbrechen</translation>
    </message>
    <message>
        <source>continue on error</source>
        <translation>bei Fehlern weiter</translation>
    </message>
    <message>
        <source>first success</source>
        <translation>erster Erfolg</translation>
    </message>
    <message>
        <source>all settled</source>
        <translation>alle abwarten</translation>
    </message>
    <message>
        <source>%1 at a time</source>
        <translation>%1 gleichzeitig</translation>
    </message>
    <message>
        <source>deadline %1</source>
        <translation>Frist %1</translation>
    </message>
</context>
<context>
    <name>Workload</name>
    <message>
        <source>%1 primes so far</source>
        <translation>bisher %1 Primzahlen</translation>
    </message>
    <message>
        <source>%1 primes below %2</source>
        <translation>%1 Primzahlen unter %2</translation>
    </message>
    <message>
        <source>Count primes below %1</source>
        <translation>Primzahlen unter %1 zählen</translation>
    </message>
    <message>
        <source>round %1</source>
        <translation>Runde %1</translation>
    </message>
    <message>
        <source>digest %1…</source>
        <translation>Hashwert %1…</translation>
    </message>
    <message>
        <source>SHA-256 hash chain</source>
        <translation>SHA-256-Hash-Kette</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>verbinde…</translation>
    </message>
    <message>
        <source>receiving 8 MB…</source>
        <translation>empfange 8 MB…</translation>
    </message>
    <message>
        <source>verifying checksum…</source>
        <translation>prüfe Prüfsumme…</translation>
    </message>
    <message>
        <source>merging…</source>
        <translation>führe zusammen…</translation>
    </message>
    <message>
        <source>merged, adler32 %1</source>
        <translation>zusammengeführt, adler32 %1</translation>
    </message>
    <message>
        <source>downloading settings.json…</source>
        <translation>lade settings.json herunter…</translation>
    </message>
    <message>
        <source>parsing…</source>
        <translation>lese ein…</translation>
    </message>
    <message>
        <source>settings.json, offset %1: %2</source>
        <translation>settings.json, Position %1: %2</translation>
    </message>
    <message>
        <source>Fetch and merge</source>
        <translation>Abrufen und zusammenführen</translation>
    </message>
    <message>
        <source>Import settings.json</source>
        <translation>settings.json importieren</translation>
    </message>
    <message>
        <source>%1 blocks written</source>
        <translation>%1 Blöcke geschrieben</translation>
    </message>
    <message>
        <source>Legacy export (ignores cancel)</source>
        <translation>Alter Export (ignoriert Abbruch)</translation>
    </message>
    <message>
        <source>Burst %1 · item %2</source>
        <translation>Schub %1 · Nr. %2</translation>
    </message>
</context>
<context>
    <name>qtm::TaskListModel</name>
    <message>
        <source>Deadline exceeded</source>
        <translation>Frist überschritten</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>waiting on %1 at %2</source>
        <translation>wartet auf %1 in %2</translation>
    </message>
</context>
</TS>

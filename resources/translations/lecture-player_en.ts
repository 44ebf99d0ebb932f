<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AddSourceDialog</name>
    <message numerus="yes">
        <location filename="../../player/ui/sources_view.py" line="+113"/>
        <source>“%1” (%2), version %3: %n series</source>
        <translation>
            <numerusform>“%1” (%2), version %3: %n series</numerusform>
            <numerusform>“%1” (%2), version %3: %n series</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GetLecturesPage</name>
    <message numerus="yes">
        <location filename="../../player/ui/get_lectures.py" line="+328"/>
        <source>Keeping %n series: %1, of which %2 is on this computer.</source>
        <translation>
            <numerusform>Keeping %n series: %1, of which %2 is on this computer.</numerusform>
            <numerusform>Keeping %n series: %1, of which %2 is on this computer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+84"/>
        <location line="+213"/>
        <source>%n file(s), %1 to fetch.</source>
        <translation>
            <numerusform>%n file, %1 to fetch.</numerusform>
            <numerusform>%n files, %1 to fetch.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+49"/>
        <source>Finished with %n file(s) fetched, </source>
        <translation>
            <numerusform>Finished with %n file fetched, </numerusform>
            <numerusform>Finished with %n files fetched, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Finished with %n file(s) fetched</source>
        <translation>
            <numerusform>Finished with %n file fetched</numerusform>
            <numerusform>Finished with %n files fetched</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message numerus="yes">
        <location filename="../../player/ui/home.py" line="+401"/>
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n result</numerusform>
            <numerusform>%n results</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LectureCardDelegate</name>
    <message numerus="yes">
        <location filename="../../player/ui/home_delegates.py" line="+274"/>
        <source>%n min left</source>
        <translation>
            <numerusform>%n min left</numerusform>
            <numerusform>%n min left</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LecturePane</name>
    <message numerus="yes">
        <location filename="../../player/ui/library_page.py" line="+378"/>
        <source>%n lecture(s)</source>
        <translation>
            <numerusform>%n lecture</numerusform>
            <numerusform>%n lectures</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../player/ui/main_window.py" line="+267"/>
        <source>%n series</source>
        <translation>
            <numerusform>%n series</numerusform>
            <numerusform>%n series</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SeriesCardDelegate</name>
    <message numerus="yes">
        <location filename="../../player/ui/home_delegates.py" line="+37"/>
        <source>%n speaker(s)</source>
        <translation>
            <numerusform>%n speaker</numerusform>
            <numerusform>%n speakers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%1 of %n watched</source>
        <translation>
            <numerusform>%1 of %n watched</numerusform>
            <numerusform>%1 of %n watched</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n lecture(s)</source>
        <translation>
            <numerusform>%n lecture</numerusform>
            <numerusform>%n lectures</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message numerus="yes">
        <location filename="../../player/ui/settings_page.py" line="+399"/>
        <source>Its progress in %n lecture(s) and its bookmarks are deleted with it. This cannot be undone.</source>
        <translation>
            <numerusform>Its progress in %n lecture and its bookmarks are deleted with it. This cannot be undone.</numerusform>
            <numerusform>Its progress in %n lectures and its bookmarks are deleted with it. This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+71"/>
        <source>Wrote the progress of %n lecture(s) to %1.</source>
        <translation>
            <numerusform>Wrote the progress of %n lecture to %1.</numerusform>
            <numerusform>Wrote the progress of %n lectures to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SourcesModel</name>
    <message numerus="yes">
        <location filename="../../player/ui/get_models.py" line="+136"/>
        <source>%n series, </source>
        <translation>
            <numerusform>%n series, </numerusform>
            <numerusform>%n series, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>%n lecture(s)</source>
        <translation>
            <numerusform>%n lecture</numerusform>
            <numerusform>%n lectures</numerusform>
        </translation>
    </message>
</context>
</TS>

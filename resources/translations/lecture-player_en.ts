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
    <name>BundleImportDialog</name>
    <message numerus="yes">
        <location filename="../../player/ui/bundle_import.py" line="+174"/>
        <source>%n source(s), </source>
        <translation>
            <numerusform>%n source, </numerusform>
            <numerusform>%n sources, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n file(s), %1:</source>
        <translation>
            <numerusform>%n file, %1:</numerusform>
            <numerusform>%n files, %1:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>%n file(s), %1</source>
        <translation>
            <numerusform>%n file, %1</numerusform>
            <numerusform>%n files, %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GetLecturesPage</name>
    <message numerus="yes">
        <location filename="../../player/ui/get_lectures.py" line="+355"/>
        <source>Keeping %n series: %1, of which %2 is on this computer.</source>
        <translation>
            <numerusform>Keeping %n series: %1, of which %2 is on this computer.</numerusform>
            <numerusform>Keeping %n series: %1, of which %2 is on this computer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+84"/>
        <location line="+315"/>
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
        <location line="-230"/>
        <location line="+231"/>
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="-255"/>
        <source>%n file(s), %1 to copy.</source>
        <translation>
            <numerusform>%n file, %1 to copy.</numerusform>
            <numerusform>%n files, %1 to copy.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+17"/>
        <source>Imported %n file(s)</source>
        <translation>
            <numerusform>Imported %n file</numerusform>
            <numerusform>Imported %n files</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n series kept on this computer; </source>
        <translation>
            <numerusform>%n series kept on this computer; </numerusform>
            <numerusform>%n series kept on this computer; </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n file(s) were already here.</source>
        <translation>
            <numerusform>%n file was already here.</numerusform>
            <numerusform>%n files were already here.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Imported %n file(s), </source>
        <translation>
            <numerusform>Imported %n file, </numerusform>
            <numerusform>Imported %n files, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n file(s) that bundle.json lists are not on the drive; the export may have been cut short: export it again, then import again.</source>
        <translation>
            <numerusform>%n file that bundle.json lists is not on the drive; the export may have been cut short: export it again, then import again.</numerusform>
            <numerusform>%n files that bundle.json lists are not on the drive; the export may have been cut short: export it again, then import again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+229"/>
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
        <location filename="../../player/ui/main_window.py" line="+275"/>
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
    <name>SharePanel</name>
    <message numerus="yes">
        <location filename="../../player/ui/share_panel.py" line="+377"/>
        <source>%n shared library(s) found. Choose a source and press Add.</source>
        <translation>
            <numerusform>%n shared library found. Choose a source and press Add.</numerusform>
            <numerusform>%n shared libraries found. Choose a source and press Add.</numerusform>
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

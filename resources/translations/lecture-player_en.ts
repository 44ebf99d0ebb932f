<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>LecturePane</name>
    <message numerus="yes">
        <location filename="../../player/ui/main_window.py" line="+172"/>
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
        <location line="+89"/>
        <source>%n series</source>
        <translation>
            <numerusform>%n series</numerusform>
            <numerusform>%n series</numerusform>
        </translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ControlBar</name>
    <message>
        <location filename="../../player/ui/player_widgets.py" line="+152"/>
        <source>Library</source>
        <translation>媒体库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to the library (Esc)</source>
        <translation>返回媒体库（Esc）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Previous lecture (P)</source>
        <translation>上一讲（P）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Play or pause (Space)</source>
        <translation>播放或暂停（空格）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next lecture (N)</source>
        <translation>下一讲（N）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Position</source>
        <translation>播放位置</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chapters</source>
        <translation>章节</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Playback speed ([ and ])</source>
        <translation>播放速度（[ 和 ]）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subtitles</source>
        <translation>字幕</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subtitles (S)</source>
        <translation>字幕（S）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mute (M)</source>
        <translation>静音（M）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Volume (Up and Down)</source>
        <translation>音量（上、下方向键）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Full screen (F)</source>
        <translation>全屏（F）</translation>
    </message>
</context>
<context>
    <name>LectureModel</name>
    <message>
        <location filename="../../player/ui/models.py" line="+237"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Speakers</source>
        <translation>主讲人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Withdrawn from its catalog</source>
        <translation>已从目录中撤下</translation>
    </message>
</context>
<context>
    <name>LecturePane</name>
    <message>
        <location filename="../../player/ui/main_window.py" line="+155"/>
        <source>No series selected</source>
        <translation>未选择系列</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Choose a series to see its lectures.</source>
        <translation>选择一个系列以查看其中的讲座。</translation>
    </message>
    <message numerus="yes">
        <location line="+17"/>
        <source>%n lecture(s)</source>
        <translation>
            <numerusform>%n 讲</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kept offline</source>
        <translation>已离线保存</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Online only</source>
        <translation>仅在线</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location line="+13"/>
        <source>Lecture Player</source>
        <translation>讲座播放器</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+22"/>
        <source>Opening library…</source>
        <translation>正在打开资料库…</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>The first start sets up the sample lectures.</source>
        <translation>首次启动时会安装示例讲座。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your library is empty</source>
        <translation>资料库是空的</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add a catalog of lectures from the command line:
lecture-player sources add URL-or-folder</source>
        <translation>请在命令行中添加讲座目录：
lecture-player sources add 网址或文件夹</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+51"/>
        <source>The library could not be opened</source>
        <translation>无法打开资料库</translation>
    </message>
    <message>
        <location line="-40"/>
        <source>The library folder</source>
        <translation>资料库文件夹</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Reading the library…</source>
        <translation>正在读取资料库…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No series yet</source>
        <translation>还没有系列</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n series</source>
        <translation>
            <numerusform>%n 个系列</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Reading the library failed: %1</source>
        <translation>读取资料库失败：%1</translation>
    </message>
</context>
<context>
    <name>OpenErrorBox</name>
    <message>
        <location filename="../../player/ui/app.py" line="+94"/>
        <source>Lecture Player</source>
        <translation>讲座播放器</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The library is already in use by another Lecture Player window or command.</source>
        <translation>资料库正被另一个讲座播放器窗口或命令使用。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Close the other window, or wait for the command to finish, then start Lecture Player again.</source>
        <translation>请关闭另一个窗口，或等待该命令结束，然后重新启动讲座播放器。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The library cannot be opened.</source>
        <translation>无法打开资料库。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The library cannot be opened because of an unexpected error.</source>
        <translation>发生意外错误，无法打开资料库。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Start Lecture Player from a terminal with --debug to see the details, and report them.</source>
        <translation>请在终端中使用 --debug 启动讲座播放器以查看详细信息，并报告该问题。</translation>
    </message>
</context>
<context>
    <name>PlayerView</name>
    <message>
        <location filename="../../player/ui/player_view.py" line="+67"/>
        <source>Opening…</source>
        <translation>正在打开…</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>This lecture is not downloaded.</source>
        <translation>这一讲尚未下载。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Keep its series offline and sync.</source>
        <translation>请将其所属系列设为离线保存，然后同步。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>This lecture cannot be opened.</source>
        <translation>无法打开这一讲。</translation>
    </message>
    <message>
        <location line="+185"/>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Large subtitles</source>
        <translation>大字幕</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>The video file is missing. Run `lecture-player verify --repair`, then sync.</source>
        <translation>视频文件缺失。请运行 `lecture-player verify --repair`，然后同步。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The video file is damaged. Run `lecture-player verify --repair`, then sync to download it again.</source>
        <translation>视频文件已损坏。请运行 `lecture-player verify --repair`，然后同步以重新下载。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The video file cannot be read: permission denied. Check the permissions of the library folder.</source>
        <translation>无法读取视频文件：权限被拒绝。请检查媒体库文件夹的权限。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This lecture cannot be played.</source>
        <translation>无法播放这一讲。</translation>
    </message>
</context>
<context>
    <name>SeriesModel</name>
    <message>
        <location filename="../../player/ui/models.py" line="-68"/>
        <source>Series</source>
        <translation>系列</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Lectures</source>
        <translation>讲座</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Online only</source>
        <translation>仅在线</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Kept offline, %1% stored</source>
        <translation>已离线保存，已存储 %1%</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kept offline</source>
        <translation>已离线保存</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 of %2 stored on this computer</source>
        <translation>本机已存储 %1，共 %2</translation>
    </message>
</context>
</TS>

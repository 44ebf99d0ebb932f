<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AddSourceDialog</name>
    <message>
        <location filename="../../player/ui/sources_view.py" line="+37"/>
        <location line="+80"/>
        <source>Add a source</source>
        <translation>添加来源</translation>
    </message>
    <message>
        <location line="-76"/>
        <source>https://… or a folder holding catalog.json</source>
        <translation>https://… 或包含 catalog.json 的文件夹</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The publisher&apos;s key: 64 hex digits or a PEM public key. Optional, but without it the catalog&apos;s signature cannot be checked.</source>
        <translation>发布者的密钥：64 位十六进制数字或 PEM 公钥。可不填，但不填就无法校验目录的签名。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Catalog:</source>
        <translation>目录：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Publisher key:</source>
        <translation>发布者密钥：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Give the catalog&apos;s web address or folder.</source>
        <translation>请填写目录的网址或文件夹。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reading and checking the catalog…</source>
        <translation>正在读取并校验目录…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Nothing was added.</source>
        <translation>未添加任何内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Adding %1…</source>
        <translation>正在添加 %1…</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>“%1” (%2), version %3: %n series</source>
        <translation>
            <numerusform>“%1”（%2），版本 %3：%n 个系列</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Trust this publisher key?</source>
        <translation>信任此发布者密钥吗？</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The catalog&apos;s signature matches the key with the fingerprint

%1

Compare it with the one the publisher gives. Every later catalog of %2 must be signed by this key.</source>
        <translation>目录的签名与以下指纹的密钥相符：

%1

请与发布者提供的指纹进行核对。%2 今后的每个目录都必须由此密钥签名。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Add the source without a publisher key?</source>
        <translation>不填发布者密钥就添加此来源吗？</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is signed, but no key was given, so its signature cannot be checked and its updates will not be either. Paste the publisher&apos;s key to pin it.</source>
        <translation>%1 带有签名，但未提供密钥，因此无法校验其签名，今后的更新也无法校验。请粘贴发布者的密钥以固定它。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add an unsigned source?</source>
        <translation>添加未签名的来源吗？</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is not signed: nothing shows that it comes from its publisher unaltered.</source>
        <translation>%1 没有签名：无法证明它来自发布者且未被篡改。</translation>
    </message>
</context>
<context>
    <name>BundleImportDialog</name>
    <message>
        <location filename="../../player/ui/bundle_import.py" line="+49"/>
        <source>Import from drive</source>
        <translation>从驱动器导入</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Looking at the drives…</source>
        <translation>正在查看驱动器…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Bundles on the drives:</source>
        <translation>驱动器上的离线包：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Looking for bundles on the drives…</source>
        <translation>正在驱动器上查找离线包…</translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+114"/>
        <source>No bundle found on the drives</source>
        <translation>驱动器上没有找到离线包</translation>
    </message>
    <message>
        <location line="-110"/>
        <source>No drive with a bundle.json was found under /media, /run/media or /mnt. Plug the drive in and open it once in the file manager so it is mounted, or choose the folder.</source>
        <translation>在 /media、/run/media 或 /mnt 下没有找到含 bundle.json 的驱动器。请插入驱动器，并在文件管理器中打开一次以挂载它，或者直接选择文件夹。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Choose the folder that holds bundle.json</source>
        <translation>选择包含 bundle.json 的文件夹</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Reading the bundle and checking its signatures…</source>
        <translation>正在读取离线包并检查签名…</translation>
    </message>
    <message numerus="yes">
        <location line="+16"/>
        <source>%n source(s), </source>
        <translation>
            <numerusform>%n 个来源，</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n file(s), %1:</source>
        <translation>
            <numerusform>%n 个文件，%1：</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“%1” (%2): %3</source>
        <translation>“%1”（%2）：%3</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n file(s), %1</source>
        <translation>
            <numerusform>%n 个文件，%1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Signature checked against the pinned key %1.</source>
        <translation>已用固定的密钥 %1 核对签名。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The library follows this source without a key: not checked.</source>
        <translation>资料库关注此来源时未设密钥：未核对签名。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>New to this library. Signed by the key the bundle carries, fingerprint %1.</source>
        <translation>资料库中尚无此来源。由离线包附带的密钥签名，指纹为 %1。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>New to this library, and the bundle carries no key: it cannot be checked.</source>
        <translation>资料库中尚无此来源，且离线包未附带密钥：无法核对。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Compare the fingerprints with the ones the publisher gives: every later catalog must be signed by the same key.</source>
        <translation>请将指纹与发布者提供的指纹比对：以后的每个目录都必须由同一密钥签名。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Trust the key shown for %1</source>
        <translation>信任 %1 的上述密钥</translation>
    </message>
</context>
<context>
    <name>ControlBar</name>
    <message>
        <location filename="../../player/ui/player_widgets.py" line="+258"/>
        <source>Library</source>
        <translation>资料库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to the library (Esc)</source>
        <translation>返回资料库（Esc）</translation>
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
        <location line="+6"/>
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
    <message>
        <location line="+1"/>
        <source>Bookmarks</source>
        <translation>书签</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bookmarks (B adds one, Shift+B lists them)</source>
        <translation>书签（B 添加，Shift+B 查看列表）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Options (O)</source>
        <translation>选项（O）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classroom</source>
        <translation>课堂</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Classroom mode: only the video and large controls (C)</source>
        <translation>课堂模式：只显示视频和大号控件（C）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Presenter</source>
        <translation>演示</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Presenter mode: the video on the projector (Ctrl+P)</source>
        <translation>演示模式：视频显示在投影仪上（Ctrl+P）</translation>
    </message>
</context>
<context>
    <name>GetLecturesPage</name>
    <message>
        <location filename="../../player/ui/get_lectures.py" line="+144"/>
        <source>Get lectures</source>
        <translation>获取讲座</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Opening the library…</source>
        <translation>正在打开资料库…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No sources yet. Add a publisher&apos;s catalog from a web address, a folder or a USB drive.</source>
        <translation>还没有来源。请从网址、文件夹或 U 盘添加发布者的目录。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add web address…</source>
        <translation>添加网址…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add from USB drive…</source>
        <translation>从 U 盘添加…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import from drive…</source>
        <translation>从驱动器导入…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh catalogs</source>
        <translation>刷新目录</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Series to keep on this computer</source>
        <translation>要保存在本机的系列</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Not changed</source>
        <translation>未更改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading failed</source>
        <translation>读取失败</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>What the next sync does</source>
        <translation>下次同步的内容</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Sync settings</source>
        <translation>同步设置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no limit (for example 500K or 2M bytes a second)</source>
        <translation>不限速（例如每秒 500K 或 2M 字节）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>any time (for example 22:00-06:00)</source>
        <translation>任何时间（例如 22:00-06:00）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>500MB</source>
        <translation>500MB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Speed limit:</source>
        <translation>限速：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only between:</source>
        <translation>仅在此时段：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep free on disk:</source>
        <translation>磁盘保留空间：</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>No sources yet</source>
        <translation>还没有来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add a publisher&apos;s catalog: from a web address, a folder, or a USB drive.</source>
        <translation>请添加发布者的目录：可来自网址、文件夹或 U 盘。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>No series kept yet: tick the ones to keep on this computer.</source>
        <translation>尚未选择要保存的系列：请勾选要保存在本机的系列。</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Keeping %n series: %1, of which %2 is on this computer.</source>
        <translation>
            <numerusform>保存 %n 个系列：共 %1，本机已有 %2。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reading the library failed</source>
        <translation>读取资料库失败</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Working out what to fetch…</source>
        <translation>正在计算需要下载的内容…</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The plan could not be made: %1</source>
        <translation>无法制定同步计划：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No series is kept yet. Tick the series to keep, then sync.</source>
        <translation>尚未选择要保存的系列。请勾选要保存的系列，然后同步。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Everything kept is already on this computer.</source>
        <translation>要保存的内容都已在本机。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This does not fit: it needs %1, but only %2 can be used (%3 free, keeping %4 free for the computer). Free some space, keep fewer series, or lower the space kept free.</source>
        <translation>空间不足：需要 %1，但只有 %2 可用（剩余 %3，其中 %4 留给系统）。请清理部分空间、减少要保存的系列，或调低磁盘保留空间。</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <location line="+315"/>
        <source>%n file(s), %1 to fetch.</source>
        <translation>
            <numerusform>%n 个文件，需下载 %1。</numerusform>
        </translation>
    </message>
    <message>
        <location line="-310"/>
        <source>%1 was fetched before and resumes.</source>
        <translation>之前已下载 %1，将继续下载。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Free after the sync: %1 (besides the %2 kept free).</source>
        <translation>同步后剩余空间：%1（不含保留的 %2）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No series kept yet</source>
        <translation>尚未选择要保存的系列</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tick the series to keep on this computer.</source>
        <translation>请勾选要保存在本机的系列。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+354"/>
        <source>Everything kept is already on this computer</source>
        <translation>要保存的内容都已在本机</translation>
    </message>
    <message>
        <location line="-352"/>
        <location line="+363"/>
        <source>Not enough free space</source>
        <translation>可用空间不足</translation>
    </message>
    <message>
        <location line="-362"/>
        <source>Ready to sync</source>
        <translation>可以同步</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Choose the folder that holds catalog.json</source>
        <translation>选择包含 catalog.json 的文件夹</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+12"/>
        <source>Add from USB drive</source>
        <translation>从 U 盘添加</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>No drive with a catalog.json was found under /media, /run/media or /mnt. Plug the drive in, open it once in the file manager so it is mounted, and try again.</source>
        <translation>在 /media、/run/media 或 /mnt 下没有找到包含 catalog.json 的驱动器。请插入 U 盘，在文件管理器中打开一次以挂载它，然后重试。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Catalogs found on the drives:</source>
        <translation>在驱动器上找到的目录：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The drives could not be read</source>
        <translation>无法读取驱动器</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Source added</source>
        <translation>已添加来源</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 is in the library.</source>
        <translation>%1 已加入资料库。</translation>
    </message>
    <message>
        <location line="+32"/>
        <location line="+10"/>
        <source>Importing from the drive…</source>
        <translation>正在从驱动器导入…</translation>
    </message>
    <message numerus="yes">
        <location line="-3"/>
        <source>%n file(s), %1 to copy.</source>
        <translation>
            <numerusform>%n 个文件，需复制 %1。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Import stopped</source>
        <translation>导入已停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The files already copied are kept; import the bundle again to continue.</source>
        <translation>已复制的文件会保留；再次导入该离线包即可继续。</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Imported %n file(s)</source>
        <translation>
            <numerusform>已导入 %n 个文件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n series kept on this computer; </source>
        <translation>
            <numerusform>本机离线保存 %n 个系列；</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n file(s) were already here.</source>
        <translation>
            <numerusform>%n 个文件本机已有。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Imported %n file(s), </source>
        <translation>
            <numerusform>已导入 %n 个文件，</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n file(s) that bundle.json lists are not on the drive; the export may have been cut short: export it again, then import again.</source>
        <translation>
            <numerusform>bundle.json 列出的 %n 个文件不在驱动器上；导出可能被中断了：请重新导出，然后再导入。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The import stopped</source>
        <translation>导入已停止</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The import stopped because of an unexpected error</source>
        <translation>导入因意外错误而停止</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+107"/>
        <source>Refreshing the catalogs…</source>
        <translation>正在刷新目录…</translation>
    </message>
    <message>
        <location line="-95"/>
        <source>Some catalogs could not be refreshed</source>
        <translation>部分目录无法刷新</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The catalogs are up to date</source>
        <translation>目录已是最新</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Refreshing failed</source>
        <translation>刷新失败</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Saved. The next sync uses them.</source>
        <translation>已保存，下次同步时生效。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The series asked for are fetched when this sync ends.</source>
        <translation>本次同步结束后将下载所选的系列。</translation>
    </message>
    <message>
        <location line="+30"/>
        <location line="+33"/>
        <location line="+17"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>Pausing…</source>
        <translation>正在暂停…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The files in flight stop and keep what they have.</source>
        <translation>正在下载的文件会停止，已下载的部分会保留。</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+3"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>The files already copied are kept.</source>
        <translation>已复制的文件会保留。</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+25"/>
        <source>The parts already downloaded are kept.</source>
        <translation>已下载的部分会保留。</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Waiting for the sync window, %1</source>
        <translation>等待同步时段，%1 开始</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Syncing is limited to the hours set below; it starts by itself then.</source>
        <translation>同步仅在下方设置的时段进行，届时会自动开始。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>about %1 left</source>
        <translation>约剩 %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The parts already downloaded are kept; the next sync resumes them.</source>
        <translation>已下载的部分会保留，下次同步时继续。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The sync window closed</source>
        <translation>同步时段已结束</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What is left is fetched at the next sync.</source>
        <translation>剩余内容将在下次同步时下载。</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Finished with %n file(s) fetched, </source>
        <translation>
            <numerusform>同步完成，已下载 %n 个文件，</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="-230"/>
        <location line="+231"/>
        <source>%n failed</source>
        <translation>
            <numerusform>%n 个失败</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Finished with %n file(s) fetched</source>
        <translation>
            <numerusform>同步完成，已下载 %n 个文件</numerusform>
        </translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The sync stopped</source>
        <translation>同步已中止</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The sync stopped because of an unexpected error</source>
        <translation>发生意外错误，同步已中止</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Stop the import?</source>
        <translation>停止导入？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A bundle is being imported. Stop it and quit? The files already copied are kept.</source>
        <translation>正在导入离线包。要停止并退出吗？已复制的文件会保留。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Stop the sync?</source>
        <translation>停止同步吗？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A sync is running. Stop it and quit? The parts already downloaded are kept.</source>
        <translation>正在同步。要停止同步并退出吗？已下载的部分会保留。</translation>
    </message>
    <message>
        <source>Remove source…</source>
        <translation>移除来源…</translation>
    </message>
    <message>
        <source>Remove the chosen source</source>
        <translation>移除所选来源</translation>
    </message>
    <message>
        <source>Source removed</source>
        <translation>已移除来源</translation>
    </message>
    <message>
        <source>%1 is no longer followed; %2 freed.</source>
        <translation>已不再关注 %1，释放了 %2。</translation>
    </message>
    <message>
        <source>%1 is no longer followed; its files stay in the library.</source>
        <translation>已不再关注 %1，它的文件仍留在资料库中。</translation>
    </message>
    <message>
        <source>%1 is no longer followed.</source>
        <translation>已不再关注 %1。</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <location filename="../../player/ui/home.py" line="+145"/>
        <source>Search titles, speakers and subtitles</source>
        <translation>搜索标题、主讲人和字幕</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Continue watching</source>
        <translation>继续观看</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Next up</source>
        <translation>接下来</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>All series</source>
        <translation>全部系列</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Your library is empty</source>
        <translation>资料库是空的</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add a lecture source, or choose series to keep, and they will show up here.</source>
        <translation>添加讲座来源，或选择要保存的系列，它们就会显示在这里。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Get lectures</source>
        <translation>获取讲座</translation>
    </message>
    <message numerus="yes">
        <location line="+179"/>
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n 个结果</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nothing matches “%1”.</source>
        <translation>没有与“%1”匹配的内容。</translation>
    </message>
</context>
<context>
    <name>KeepModel</name>
    <message>
        <location filename="../../player/ui/get_models.py" line="+154"/>
        <source>Keep</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Series</source>
        <translation>系列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lectures</source>
        <translation>讲座</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stored</source>
        <translation>已存储</translation>
    </message>
</context>
<context>
    <name>LectureCardDelegate</name>
    <message>
        <location filename="../../player/ui/home_delegates.py" line="+271"/>
        <source>Less than a minute left</source>
        <translation>剩余不到一分钟</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n min left</source>
        <translation>
            <numerusform>剩余 %n 分钟</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 h %2 min left</source>
        <translation>剩余 %1 小时 %2 分钟</translation>
    </message>
</context>
<context>
    <name>LectureModel</name>
    <message>
        <location filename="../../player/ui/models.py" line="+420"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Speakers</source>
        <translation>主讲人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+36"/>
        <source>Watched</source>
        <translation>已看</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>On this computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Withdrawn from its catalog</source>
        <translation>已从目录中撤下</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>%1% watched</source>
        <translation>已看 %1%</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Downloading %1%</source>
        <translation>正在下载 %1%</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Queued, %1</source>
        <translation>排队中，%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Download failed, %1</source>
        <translation>下载失败，%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not downloaded, %1</source>
        <translation>未下载，%1</translation>
    </message>
</context>
<context>
    <name>LecturePane</name>
    <message>
        <location filename="../../player/ui/library_page.py" line="+304"/>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark watched</source>
        <translation>标记为已看</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mark unwatched</source>
        <translation>标记为未看</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+171"/>
        <location line="+4"/>
        <source>Keep offline</source>
        <translation>离线保存</translation>
    </message>
    <message>
        <location line="-174"/>
        <location line="+207"/>
        <source>Remove from this computer</source>
        <translation>从本机删除</translation>
    </message>
    <message>
        <location line="-183"/>
        <source>No series selected</source>
        <translation>未选择系列</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Choose a series to see its lectures.</source>
        <translation>选择一个系列以查看其中的讲座。</translation>
    </message>
    <message numerus="yes">
        <location line="+44"/>
        <source>%n lecture(s)</source>
        <translation>
            <numerusform>%n 讲</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Kept offline</source>
        <translation>已离线保存</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Kept offline, %1 of %2 downloaded</source>
        <translation>已离线保存，已下载 %1，共 %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Online only</source>
        <translation>仅在线</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Download %1 and keep this series on this computer</source>
        <translation>下载 %1，并将此系列保存在本机</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stop keeping this series and delete its %1 of files from this computer</source>
        <translation>不再保存此系列，并从本机删除其 %1 的文件</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Keep “%1” on this computer? About %2 will be downloaded.</source>
        <translation>将“%1”保存在本机吗？将下载约 %2。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Kept offline. Its lectures are being downloaded.</source>
        <translation>已设为离线保存，正在下载其中的讲座。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Remove the lectures of “%1” from this computer? This frees %2. Files that other kept series use stay, and so does your progress.</source>
        <translation>从本机删除“%1”的讲座吗？这将释放 %2。其他已保存系列用到的文件会保留，您的观看进度也会保留。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Removed from this computer; %1 freed.</source>
        <translation>已从本机删除，释放了 %1。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../player/ui/main_window.py" line="+42"/>
        <source>Lecture Player</source>
        <translation>讲座播放器</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+34"/>
        <source>Opening library…</source>
        <translation>正在打开资料库…</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>The first start sets up the sample lectures.</source>
        <translation>首次启动时会安装示例讲座。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+232"/>
        <source>The library could not be opened</source>
        <translation>无法打开资料库</translation>
    </message>
    <message>
        <location line="-203"/>
        <source>The library folder</source>
        <translation>资料库文件夹</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Screens</source>
        <translation>页面</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Library</source>
        <translation>资料库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Get lectures</source>
        <translation>获取讲座</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Watching:</source>
        <translation>观看者：</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>Reading the library…</source>
        <translation>正在读取资料库…</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>The library database has a problem: %1. Run “lecture-player doctor --fix”.</source>
        <translation>资料库数据库有问题：%1。请运行“lecture-player doctor --fix”。</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
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
    <name>MissingLibraryBox</name>
    <message>
        <location filename="../../player/ui/app.py" line="+219"/>
        <source>Lecture Player</source>
        <translation>讲座播放器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The library folder %1 cannot be found.</source>
        <translation>找不到资料库文件夹 %1。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>If it is on an external drive, plug the drive in and start Lecture Player again. You can also use the default library this time; the chosen folder stays in the settings.</source>
        <translation>如果它在外接驱动器上，请插入驱动器后重新启动讲座播放器。也可以本次先使用默认资料库；所选文件夹仍会保留在设置中。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Use the default library</source>
        <translation>使用默认资料库</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>NearbyModel</name>
    <message>
        <location filename="../../player/ui/share_panel.py" line="+163"/>
        <source>%1 on %2 — %3</source>
        <translation>%2 上的 %1 — %3</translation>
    </message>
</context>
<context>
    <name>NextPanel</name>
    <message>
        <location filename="../../player/ui/player_widgets.py" line="-209"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play now</source>
        <translation>立即播放</translation>
    </message>
</context>
<context>
    <name>NotePopup</name>
    <message>
        <location line="+47"/>
        <source>Note (optional) — Enter saves, Esc skips</source>
        <translation>备注（可选）—— 按 Enter 保存，按 Esc 跳过</translation>
    </message>
</context>
<context>
    <name>OpenErrorBox</name>
    <message>
        <location filename="../../player/ui/app.py" line="-130"/>
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
    <name>PlanModel</name>
    <message>
        <location filename="../../player/ui/get_models.py" line="+67"/>
        <source>Series</source>
        <translation>系列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New</source>
        <translation>新增</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changed</source>
        <translation>已更改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Withdrawn</source>
        <translation>已撤下</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To fetch</source>
        <translation>待下载</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Withdrawn from the catalog; their files are kept: %1</source>
        <translation>已从目录中撤下，其文件仍保留：%1</translation>
    </message>
</context>
<context>
    <name>PlayerView</name>
    <message>
        <location filename="../../player/ui/player_view.py" line="+120"/>
        <source>Opening…</source>
        <translation>正在打开…</translation>
    </message>
    <message>
        <location line="+45"/>
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
        <location line="+142"/>
        <source>Next: %1 in %2 s</source>
        <translation>下一讲：%1，%2 秒后播放</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Bookmark at %1</source>
        <translation>%1 处的书签</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Add a bookmark here (B)</source>
        <translation>在此处添加书签（B）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Jump here</source>
        <translation>跳转到此处</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Presenter mode needs a second screen (a projector).</source>
        <translation>演示模式需要第二个屏幕（投影仪）。</translation>
    </message>
    <message>
        <location line="+159"/>
        <source>Play the next lecture automatically (A)</source>
        <translation>自动播放下一讲（A）</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 — in the video</source>
        <translation>%1 —— 视频内置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown language</source>
        <translation>未知语言</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Large subtitles</source>
        <translation>大字幕</translation>
    </message>
    <message>
        <location line="+93"/>
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
        <translation>无法读取视频文件：权限被拒绝。请检查资料库文件夹的权限。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This lecture cannot be played.</source>
        <translation>无法播放这一讲。</translation>
    </message>
</context>
<context>
    <name>PresenterPanel</name>
    <message>
        <location filename="../../player/ui/presenter.py" line="+87"/>
        <source>The video is on the projector.</source>
        <translation>视频正在投影仪上播放。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Upcoming subtitles</source>
        <translation>即将出现的字幕</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Chapters</source>
        <translation>章节</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bookmarks</source>
        <translation>书签</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Shown only for subtitle files, not for tracks inside the video.</source>
        <translation>仅适用于字幕文件，不适用于视频内置的字幕轨。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No more subtitles.</source>
        <translation>没有更多字幕。</translation>
    </message>
</context>
<context>
    <name>ProfileListModel</name>
    <message>
        <location filename="../../player/ui/settings_page.py" line="+102"/>
        <source>Watching now</source>
        <translation>当前观看者</translation>
    </message>
</context>
<context>
    <name>ProfileSwitcher</name>
    <message>
        <location filename="../../player/ui/profiles.py" line="+81"/>
        <location line="+1"/>
        <source>Who is watching</source>
        <translation>谁在观看</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Add profile…</source>
        <translation>添加用户…</translation>
    </message>
    <message>
        <location line="+28"/>
        <location line="+6"/>
        <source>Add profile</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Name of the person watching:</source>
        <translation>观看者的名字：</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The profiles could not be saved: %1</source>
        <translation>无法保存用户：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Profiles</source>
        <translation>用户</translation>
    </message>
</context>
<context>
    <name>Profiles</name>
    <message>
        <location line="-130"/>
        <source>Default</source>
        <translation>默认</translation>
    </message>
</context>
<context>
    <name>ProjectorWindow</name>
    <message>
        <location filename="../../player/ui/presenter.py" line="-106"/>
        <source>Lecture Player — projector</source>
        <translation>讲座播放器 —— 投影</translation>
    </message>
</context>
<context>
    <name>RebuildDialog</name>
    <message>
        <location filename="../../player/ui/rebuild.py" line="+57"/>
        <source>Lecture Player</source>
        <translation>讲座播放器</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The library database is damaged.</source>
        <translation>资料库数据库已损坏。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>What is wrong: %1.

Lecture Player can rebuild it from the catalogs and lectures kept in the library folder, then bring back kept series, profiles, progress and bookmarks from the latest backup. The damaged file is kept beside it, renamed; nothing is deleted.</source>
        <translation>问题：%1。

讲座播放器可以根据资料库文件夹中保存的目录和讲座重建它，再从最新的备份中恢复离线保存的系列、用户、进度和书签。损坏的文件会改名后留在原处；不会删除任何内容。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Rebuild</source>
        <translation>重建</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Rebuilding the library… This reads every catalog and stored file.</source>
        <translation>正在重建资料库…这需要读取每个目录和已存文件。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
</context>
<context>
    <name>RemoveSourceDialog</name>
    <message>
        <source>Remove a source</source>
        <translation>移除来源</translation>
    </message>
    <message>
        <source>Stop following “%1” (%2)?</source>
        <translation>不再关注“%1”（%2）？</translation>
    </message>
    <message>
        <source>Its series are no longer kept or listed, and its catalog is no longer fetched. Everyone&apos;s progress and bookmarks stay, and come back if the source is added again.</source>
        <translation>它的系列将不再保存在本机或列出，也不再获取它的目录。每个人的进度和书签都会保留，重新添加该来源后会再次显示。</translation>
    </message>
    <message>
        <source>counting…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Also delete the source&apos;s files</source>
        <translation>同时删除该来源的文件</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the source</source>
        <translation>移除该来源</translation>
    </message>
    <message>
        <source>Also delete its files that no other kept series uses (%1)</source>
        <translation>同时删除其他保存的系列都不使用的文件（%1）</translation>
    </message>
    <message>
        <source>Removing %1…</source>
        <translation>正在移除 %1…</translation>
    </message>
</context>
<context>
    <name>SeriesCardDelegate</name>
    <message numerus="yes">
        <location filename="../../player/ui/home_delegates.py" line="+35"/>
        <source>%n speaker(s)</source>
        <translation>
            <numerusform>%n 位主讲人</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%1 of %n watched</source>
        <translation>
            <numerusform>已看 %1/%n 讲</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n lecture(s)</source>
        <translation>
            <numerusform>%n 讲</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Online only</source>
        <translation>仅在线</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Downloading %1%</source>
        <translation>正在下载 %1%</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not downloaded yet</source>
        <translation>尚未下载</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Partly offline %1%</source>
        <translation>部分离线 %1%</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Offline</source>
        <translation>离线可用</translation>
    </message>
</context>
<context>
    <name>SeriesModel</name>
    <message>
        <location filename="../../player/ui/models.py" line="-247"/>
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
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../player/ui/settings_page.py" line="+45"/>
        <source>Who is watching</source>
        <translation>谁在观看</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Profiles</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Add…</source>
        <translation>添加(&amp;A)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Rename…</source>
        <translation>重命名(&amp;R)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Each person&apos;s progress is kept apart. Choose who is watching in the toolbar.</source>
        <translation>每个人的观看进度分开保存。请在工具栏中选择观看者。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Profiles:</source>
        <translation>用户(&amp;P)：</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Progress</source>
        <translation>观看进度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This profile</source>
        <translation>当前用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All profiles</source>
        <translation>所有用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Export progress…</source>
        <translation>导出进度(&amp;E)…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>E&amp;xport:</source>
        <translation>导出(&amp;X)：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Library</source>
        <translation>资料库</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Change…</source>
        <translation>更改(&amp;C)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use the de&amp;fault folder</source>
        <translation>使用默认文件夹(&amp;F)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Restart &amp;now</source>
        <translation>立即重启(&amp;N)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Free space:</source>
        <translation>可用空间：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Display</source>
        <translation>显示</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Restart no&amp;w</source>
        <translation>立即重启(&amp;W)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Larger text for projectors and far screens; applies at once.</source>
        <translation>为投影仪和远处的屏幕放大文字，立即生效。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Text size:</source>
        <translation>文字大小(&amp;T)：</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Version:</source>
        <translation>版本：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Library:</source>
        <translation>资料库：</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>%1 free</source>
        <translation>可用 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+5"/>
        <source>Add profile</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Name of the new profile:</source>
        <translation>新用户的名字：</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+11"/>
        <source>Rename profile</source>
        <translation>重命名用户</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>New name for “%1”:</source>
        <translation>“%1”的新名字：</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Delete profile</source>
        <translation>删除用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the profile “%1”?</source>
        <translation>删除用户“%1”吗？</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Its progress in %n lecture(s) and its bookmarks are deleted with it. This cannot be undone.</source>
        <translation>
            <numerusform>该用户在 %n 讲中的观看进度和书签将一并删除，且无法撤销。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Something went wrong: %1</source>
        <translation>出现问题：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>progress-%1.csv</source>
        <translation>观看进度-%1.csv</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export progress</source>
        <translation>导出观看进度</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>Wrote the progress of %n lecture(s) to %1.</source>
        <translation>
            <numerusform>已将 %n 讲的观看进度写入 %1。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The progress could not be exported: %1. Choose another file or folder.</source>
        <translation>无法导出观看进度：%1。请选择其他文件或文件夹。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Choose the library folder</source>
        <translation>选择资料库文件夹</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Checking %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+22"/>
        <source>Library folder</source>
        <translation>资料库文件夹</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>Lecture Player cannot write to %1 (%2). Choose a folder you can write to, or plug the drive in.</source>
        <translation>讲座播放器无法写入 %1（%2）。请选择可写入的文件夹，或插入驱动器。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The library in %1 is used as it is from the next start.</source>
        <translation>下次启动时将直接使用 %1 中的资料库。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A new library is made in %1 at the next start.</source>
        <translation>下次启动时将在 %1 中新建资料库。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The folder holds other files, so a new library is made in %1 at the next start.</source>
        <translation>该文件夹中有其他文件，因此下次启动时将在 %1 中新建资料库。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>the --library option</source>
        <translation>--library 选项</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This start uses the folder given by %1, which comes before this setting.</source>
        <translation>本次启动使用 %1 指定的文件夹，它优先于此设置。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The chosen folder %1 was not found at start, so the default library is open. Plug its drive in and restart to use it.</source>
        <translation>启动时未找到所选文件夹 %1，因此打开了默认资料库。请插入其所在的驱动器并重新启动以使用它。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Lecture Player uses %1 from the next start.</source>
        <translation>讲座播放器下次启动时将使用 %1。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A library on an external drive works too; plug the drive in before starting.</source>
        <translation>资料库也可以放在外接驱动器上；请在启动前插入驱动器。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Takes effect when Lecture Player starts again.</source>
        <translation>重新启动讲座播放器后生效。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>LECTURE_PLAYER_LANG is set, and comes before this setting.</source>
        <translation>已设置 LECTURE_PLAYER_LANG，它优先于此设置。</translation>
    </message>
</context>
<context>
    <name>SharePanel</name>
    <message>
        <location filename="../../player/ui/share_panel.py" line="+24"/>
        <source>Local network</source>
        <translation>局域网</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Share this library on the local network (read-only)</source>
        <translation>在局域网上共享此资料库（只读）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+125"/>
        <source>Not shared. Other computers cannot reach this library.</source>
        <translation>未共享。其他计算机无法访问此资料库。</translation>
    </message>
    <message>
        <location line="-114"/>
        <source>Looking for libraries shared on this network…</source>
        <translation>正在查找此网络上共享的资料库…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>http://IP:PORT/&lt;source-id&gt;/</source>
        <translation>http://IP:端口/&lt;来源ID&gt;/</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add address</source>
        <translation>添加地址</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>On this network</source>
        <translation>此网络上</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Or type a share&apos;s address:</source>
        <translation>或输入共享地址：</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Starting the share…</source>
        <translation>正在开启共享…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Shared on this network. Others add a source with one of these addresses:</source>
        <translation>已在此网络上共享。其他人可用以下任一地址添加来源：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>It is not announced, so others must type the address: %1</source>
        <translation>未进行广播，其他人需要手动输入地址：%1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The library could not be shared: %1</source>
        <translation>无法共享资料库：%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Stopping the share…</source>
        <translation>正在停止共享…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The share stopped with an error: %1</source>
        <translation>共享因错误而停止：%1</translation>
    </message>
    <message numerus="yes">
        <location line="+44"/>
        <source>%n shared library(s) found. Choose a source and press Add.</source>
        <translation>
            <numerusform>找到 %n 个共享的资料库。请选择一个来源，然后点“添加”。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No shared library answered. Switch on sharing on the other computer, or type its address below.</source>
        <translation>没有共享的资料库响应。请在另一台计算机上开启共享，或在下方输入其地址。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Shares cannot be found automatically here: multicast does not get through on this network. Type the address the other computer shows below.</source>
        <translation>这里无法自动发现共享：此网络不通过组播。请在下方输入另一台计算机显示的地址。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Looking for shares failed: %1</source>
        <translation>查找共享失败：%1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Asking %1 what it shares…</source>
        <translation>正在询问 %1 共享了什么…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Add a shared source</source>
        <translation>添加共享的来源</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sources shared there:</source>
        <translation>那里共享的来源：</translation>
    </message>
</context>
<context>
    <name>SourcesModel</name>
    <message>
        <location filename="../../player/ui/get_models.py" line="-133"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Publisher key</source>
        <translation>发布者密钥</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Catalog</source>
        <translation>目录</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Built in</source>
        <translation>内置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not pinned</source>
        <translation>未固定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>version %1, %2</source>
        <translation>版本 %1，%2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pinned key %1</source>
        <translation>已固定的密钥 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n series, </source>
        <translation>
            <numerusform>%n 个系列，</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>%n lecture(s)</source>
        <translation>
            <numerusform>%n 讲</numerusform>
        </translation>
    </message>
    <message>
        <source>Not known: add the source again</source>
        <translation>未知：请重新添加该来源</translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <location filename="../../player/ui/profiles.py" line="+22"/>
        <source>A profile needs a name. Type one, for example the person&apos;s first name.</source>
        <translation>用户需要一个名字。请输入一个，例如观看者的名字。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>There is already a profile named “%1”. Choose another name.</source>
        <translation>已有名为“%1”的用户。请另选一个名字。</translation>
    </message>
</context>
</TS>

//! The English of the help screens (`--lang en --help`): every Russian help text of
//! `args.rs` with its translation, looked up by the Russian text, so a text without an entry
//! stays Russian (a test finds it).

/// (Russian, English) for the descriptions of the program, its commands, their arguments and
/// the values they take.
pub const TEXTS: &[(&str, &str)] = &[
    (
        "Проверить прогноз на прошлом: прогноз с даты по открытым тогда сделкам против того, что показала история CRM",
        "Test the forecast on the past: the forecast from a date, started from the deals open then, against what the CRM history shows",
    ),
    (
        "Файлы истории, как у calibrate: переходы по этапам и сделки (статус, дата закрытия, сумма)",
        "History files as for calibrate: stage entries and deals (status, closing date, amount)",
    ),
    (
        "Дата начала прогноза (ГГГГ-ММ-ДД): открытые на начало этого дня сделки — его старт",
        "The date the forecast starts (YYYY-MM-DD): the deals open at the start of that day are its start",
    ),
    (
        "Сколько месяцев сравнить (по умолчанию — сколько целых месяцев после даты покрывает история, не больше 12)",
        "How many months to compare (default: as many whole months after the date as the history covers, at most 12)",
    ),
    (
        "Прогноз по параметрам, измеренным по истории до даты (как calibrate), а не по записанным в положении",
        "Forecast with the parameters measured from the history before the date (as calibrate does), not those the regulation writes",
    ),
    (
        "Сценарий YAML, с которым считать прогноз (например, записанный calibrate --write-scenario)",
        "A YAML scenario to forecast with (e.g. one written by calibrate --write-scenario)",
    ),
    ("Число прогонов", "Number of runs"),
    ("Зерно генератора", "Random seed"),
    ("Страница HTML с графиком", "An HTML page with the chart"),
    (
        "С --format html: папка с шаблонами, заменяющими встроенные (backtest.md, page.html, style.css, forecast.css)",
        "With --format html: a folder of templates replacing the built-in ones (backtest.md, page.html, style.css, forecast.css)",
    ),
    (
        "Компилятор системы продаж: проверяет «Положение о системе продаж» и строит из него граф процесса",
        "Sales system compiler: checks a sales regulation and builds its process graph",
    ),
    ("Показать справку", "Show help"),
    (
        "Страница «что если» в браузере: штат, конверсии и лиды меняются — прогноз пересчитывается",
        "A what-if page in the browser: move headcount, conversion and leads, the forecast follows",
    ),
    ("Порт (0 — любой свободный)", "Port (0: any free port)"),
    (
        "Адрес, на котором слушать (по умолчанию 127.0.0.1; другой адрес открывает страницу для сети)",
        "Address to listen on (127.0.0.1 by default; another address opens the page to the network)",
    ),
    ("Открыть страницу в браузере", "Open the page in the browser"),
    (
        "Число прогонов базы и сценария",
        "Runs of the baseline and the scenario",
    ),
    (
        "Зерно генератора (одно для базы и сценария: общие случайные числа)",
        "Random seed (one for the baseline and the scenario: common random numbers)",
    ),
    ("Показать версию", "Show the version"),
    (
        "Язык сообщений (и документов docs): ru или en",
        "Language of messages (and of docs documents): ru or en",
    ),
    (
        "Разрешить предупреждение: код W… или warnings (все)",
        "Allow a warning: a W… code or warnings (all)",
    ),
    ("Оставить предупреждением", "Keep as a warning"),
    ("Считать ошибкой", "Treat as an error"),
    (
        "Проверить файлы положения и сообщить обо всех ошибках",
        "Check regulation files and report every error",
    ),
    (
        "Вывести граф процесса продаж (DOT или Mermaid)",
        "Print the sales process graph (DOT or Mermaid)",
    ),
    (
        "Рассчитать воронки, каналы, нагрузку ролей и разрыв с планом (точно, без случайности)",
        "Compute pipelines, channels, role load and the gap to the plan (exactly, no randomness)",
    ),
    (
        "Прогноз методом Монте-Карло: лиды, сделки, выручка, загрузка ролей",
        "Monte Carlo forecast: leads, deals, revenue, role utilisation",
    ),
    (
        "Прогноз при каждом значении параметра: --set 'Менеджер.штат=3..10'",
        "A forecast at each value of a parameter: --set 'Менеджер.штат=3..10'",
    ),
    (
        "Наименьший штат роли, при котором план выполняется с заданной вероятностью",
        "The smallest headcount of a role that meets the plan with a given probability",
    ),
    (
        "Чувствительность выручки к каждому параметру ±10% (торнадо)",
        "Revenue sensitivity to each parameter ±10% (tornado)",
    ),
    (
        "Измерить конверсии, сроки, лиды и чек по истории сделок из CRM и сравнить с положением",
        "Measure conversions, times, leads and deal size from a CRM's deal history and compare them with the regulation",
    ),
    (
        "Файлы истории: CSV (переходы по этапам, сделки, звонки), ответы API amoCRM, Битрикс24, HubSpot, Pipedrive в JSON, выгрузка списка сделок XLSX/XLS/ODS; папка — все её файлы",
        "History files: CSV (stage entries, deals, calls), amoCRM, Bitrix24, HubSpot, Pipedrive API responses as JSON, a deals list exported as XLSX/XLS/ODS; a directory — all its files",
    ),
    (
        "Файл сопоставления этапов CSV: этап CRM; [воронка CRM;] этап положения (Воронка.Этап или код)",
        "Stage mapping CSV file: CRM stage; [CRM pipeline;] regulation stage (Pipeline.Stage or its CRM code)",
    ),
    (
        "Учитывать переходы с этой даты (ГГГГ-ММ-ДД)",
        "Count stage entries from this date (YYYY-MM-DD)",
    ),
    (
        "Записать один прогон (прогон 0 с этим зерном) журналом событий для calibrate: ФАЙЛ — переходы по этапам, рядом ФАЙЛ.deals.csv — сделки",
        "Write one replication (replication 0 with this seed) as the event log calibrate reads: FILE — the stage entries, FILE.deals.csv beside it — the deals",
    ),
    (
        "Учитывать переходы по эту дату; что случилось позже, считается ещё не случившимся",
        "Count stage entries up to this date; what happened later counts as not yet happened",
    ),
    (
        "Записать измеренные конверсии, лиды и чек сценарием YAML для simulate --scenario",
        "Write the measured conversions, leads and deal size as a YAML scenario for simulate --scenario",
    ),
    (
        "Записать измеренные значения в сам файл .sales (и подключённые файлы), сохранив комментарии и вёрстку: показать разницу и спросить",
        "Write the measured values into the .sales file itself (and its included files), keeping comments and layout: show the diff and ask",
    ),
    (
        "С --apply: записать без вопроса (нужно, когда ввод не с терминала)",
        "With --apply: write without asking (needed when input is not a terminal)",
    ),
    (
        "Сформировать документы: Положение о системе продаж, памятки, должностные инструкции, формы отчётов (Markdown, HTML, DOCX)",
        "Write the documents: the sales regulation, role memos, job descriptions, report forms (Markdown, HTML, DOCX)",
    ),
    (
        "Скопировать встроенные шаблоны документов в папку для правки",
        "Copy the built-in document templates into a folder to edit",
    ),
    (
        "Объяснить код диагностики: что он значит, почему важен и как исправить",
        "Explain a diagnostic code: what it means, why it matters and how to fix it",
    ),
    (
        "Настройка CRM: тела запросов API для amoCRM, Битрикс24, HubSpot, Pipedrive и что настроить вручную",
        "CRM set-up: API request bodies for amoCRM, Bitrix24, HubSpot, Pipedrive and what to set by hand",
    ),
    (
        "Всё сразу в одну папку: проверка, расчёт, прогноз, документы, настройки CRM, схемы",
        "Everything into one folder: check, analysis, forecast, documents, CRM set-up, diagrams",
    ),
    (
        "Языковой сервер (LSP) для редакторов: ошибки при вводе, подсказки, переход к определению",
        "Language server (LSP) for editors: errors as you type, hovers, go to definition",
    ),
    (
        "Привести файлы к единому оформлению; комментарии и абзацы сохраняются",
        "Format files one way; comments and paragraphs are kept",
    ),
    (
        "Создать новое положение по анкете из десяти вопросов",
        "Create a new regulation from ten questions",
    ),
    (
        "Файлы .sales (подключённые файлы не затрагиваются — укажите их отдельно)",
        "The .sales files (included files are not touched — name them separately)",
    ),
    (
        "Только проверить: показать разницу и завершиться с кодом 1, если файл не оформлен",
        "Only check: show the difference and exit with 1 when a file is not formatted",
    ),
    (
        "Писать единицы одинаково (дней → дн, руб → ₽) и разбивать числа на разряды (150 000)",
        "Write units one way (дней → дн, руб → ₽) and group digits (150 000)",
    ),
    (
        "Папка нового положения (создаётся, если её нет; по умолчанию текущая)",
        "Folder of the new regulation (created if missing; the current one by default)",
    ),
    (
        "Не задавать вопросов: записать положение с ответами по умолчанию",
        "Ask nothing: write the regulation with the default answers",
    ),
    (
        "Код (E0030, W0006); без кода — список всех кодов",
        "The code (E0030, W0006); without one, the list of all codes",
    ),
    (
        "Общаться через stdin/stdout (так всегда; флаг принимается для клиентов, которые его передают)",
        "Talk over stdin/stdout (always so; the flag is accepted for clients that pass it)",
    ),
    (
        "Подробно, с фрагментом исходного текста",
        "In detail, with a fragment of the source",
    ),
    ("Одна строка на сообщение", "One line per message"),
    ("JSON-массив", "A JSON array"),
    (
        "Разобранная модель (YAML или JSON)",
        "The parsed model (YAML or JSON)",
    ),
    ("Файлы .sales", "The .sales files"),
    ("Файл .sales", "The .sales file"),
    (
        "Формат: human, short, json; с --emit model — yaml или json",
        "Format: human, short, json; with --emit model, yaml or json",
    ),
    (
        "Что вывести в stdout после проверки",
        "What to print to stdout after the check",
    ),
    ("Graphviz DOT: все воронки", "Graphviz DOT: every pipeline"),
    ("Mermaid: все воронки", "Mermaid: every pipeline"),
    (
        "SVG одной воронки (--pipeline), та же схема, что в документах",
        "SVG of one pipeline (--pipeline), the diagram of the documents",
    ),
    ("Формат графа", "Graph format"),
    (
        "Воронка для SVG (по умолчанию первая)",
        "Pipeline for SVG (the first by default)",
    ),
    (
        "С --format svg: воронка объёмов — полосы по ожидаемому числу сделок на этапах в месяц",
        "With --format svg: a volume funnel — bars by the expected deals at each stage a month",
    ),
    ("Таблицы для чтения", "Tables to read"),
    ("Все показатели в JSON", "Every figure in JSON"),
    ("Таблица для чтения", "A table to read"),
    ("JSON (схема — в README)", "JSON (schema in README)"),
    ("CSV: одна строка на показатель", "CSV: one line per metric"),
    (
        "Отчёт HTML с графиками: один файл без внешних ссылок, печать на A4",
        "HTML report with charts: one self-contained file, prints on A4",
    ),
    ("Формат вывода", "Output format"),
    ("Число прогонов (реплик)", "Number of runs (replications)"),
    (
        "Зерно генератора: одно зерно — один и тот же результат",
        "Generator seed: one seed, one result",
    ),
    (
        "Горизонт в месяцах (иначе из плана или положения, по умолчанию 12)",
        "Horizon in months (otherwise from the plan or the regulation, 12 by default)",
    ),
    (
        "Число потоков (по умолчанию — все ядра)",
        "Number of threads (all cores by default)",
    ),
    (
        "Записать результат в файл (атомарно), а не в стандартный вывод",
        "Write the result to a file (atomically) instead of standard output",
    ),
    (
        "С --format html: папка с шаблонами, заменяющими встроенные (forecast.md, sweep.md, page.html, style.css, forecast.css)",
        "With --format html: a folder of templates replacing the built-in ones (forecast.md, sweep.md, page.html, style.css, forecast.css)",
    ),
    ("Не показывать индикатор выполнения", "Show no progress bar"),
    (
        "Файл сценария (YAML); можно несколько — каждый печатается рядом с базой",
        "Scenario file (YAML); may be repeated — each is printed beside the baseline",
    ),
    (
        "Не считать ценность найма (+1 человек в каждой роли: по прогону на роль)",
        "Skip the value of a hire (+1 person in each role: one run per role)",
    ),
    (
        "Открытые сделки на сегодня (CSV или YAML): каждый прогон начинается с них",
        "Today's open deals (CSV or YAML): every run starts from them",
    ),
    (
        "С чего начинается прогноз: действующий отдел (в воронке уже идут сделки) или новый (пустая воронка); по умолчанию — «старт» положения, иначе действующий",
        "Where the forecast starts: an established department (deals already in the pipeline) or a new one (an empty pipeline); by default the regulation's start, otherwise established",
    ),
    ("Число прогонов на каждый вариант", "Number of runs per variant"),
    (
        "Точность сравнений со сценариями и ценности найма: прогоны варианта добавляются, пока 95% ДИ разности с базой шире этой доли базы и не исключает 0 явно (0.05 или 5%); не больше --runs",
        "Precision of the scenario comparisons and the value of a hire: a variant takes more runs while the 95% CI of its difference from the baseline is wider than this share of the baseline and does not clearly exclude 0 (0.05 or 5%); at most --runs",
    ),
    (
        "Точность: значение получает прогоны, пока 95% ДИ разности выручки с соседними значениями шире этой доли размаха перебора или ДИ P(план) шире ±этой доли (0.05 или 5%); не больше --runs",
        "Precision: a value takes more runs while the 95% CI of its revenue difference from its neighbouring values is wider than this share of the sweep's spread or the CI of P(plan) wider than ± this share (0.05 or 5%); at most --runs",
    ),
    (
        "Точность ценности найма: прогоны варианта добавляются, пока 95% ДИ Δ прибыли шире этой доли прибыли базы и не исключает 0 явно (0.05 или 5%); не больше --runs",
        "Precision of the value of a hire: a variant takes more runs while the 95% CI of Δ profit is wider than this share of the baseline's profit and does not clearly exclude 0 (0.05 or 5%); at most --runs",
    ),
    (
        "Точность рейтинга: параметр получает прогоны, пока 95% ДИ его размаха шире этой доли наибольшего размаха (0.05 или 5%); не больше --runs",
        "Precision of the ranking: a parameter takes more runs while the 95% CI of its swing is wider than this share of the largest swing (0.05 or 5%); at most --runs",
    ),
    (
        "Зерно генератора (одно для всех вариантов: общие случайные числа)",
        "Generator seed (one for all variants: common random numbers)",
    ),
    (
        "Горизонт в месяцах (иначе из плана или положения)",
        "Horizon in months (otherwise from the plan or the regulation)",
    ),
    (
        "С чего начинается прогноз: действующий отдел или новый; по умолчанию — «старт» положения, иначе действующий",
        "Where the forecast starts: an established department or a new one; by default the regulation's start, otherwise established",
    ),
    (
        "Параметр и значения: 'Менеджер.штат=3..10', 'Сайт.лиды=60,90,120', 'Продажа.КП.конверсия=40%..70%'",
        "Parameter and values: 'Менеджер.штат=3..10', 'Сайт.лиды=60,90,120', 'Продажа.КП.конверсия=40%..70%'",
    ),
    (
        "Роль, штат которой подбирается",
        "The role whose headcount is chosen",
    ),
    (
        "Требуемая вероятность выполнить план (0.8 или 80%)",
        "Required probability of meeting the plan (0.8 or 80%)",
    ),
    (
        "Чей план: horizon — итог за горизонт, month — каждый месяц (по худшему месяцу)",
        "Which plan: horizon — the total over the horizon, month — every month (by the weakest month)",
    ),
    (
        "Формат вывода: таблица, JSON или CSV (строка на каждый проверенный штат)",
        "Output format: a table, JSON or CSV (a line per headcount tried)",
    ),
    (
        "HTML для печати (A4), один файл без внешних ссылок",
        "HTML to print (A4), one self-contained file",
    ),
    ("Документ Word (DOCX)", "A Word document (DOCX)"),
    ("Положение о системе продаж", "The sales regulation"),
    ("Памятки ролей", "Role memos"),
    ("Должностные инструкции", "Job descriptions"),
    ("Формы отчётов", "Report forms"),
    (
        "Папка для документов (создаётся, если её нет)",
        "Folder for the documents (created if missing)",
    ),
    (
        "Показать файлы шаблонов с описанием и выйти",
        "List the template files with descriptions and exit",
    ),
    ("Форматы через запятую", "Formats, comma-separated"),
    (
        "Папка с шаблонами, заменяющими встроенные (по одному файлу: regulation.md, memo.md, job.md, forms.md, page.html, style.css)",
        "A folder of templates replacing the built-in ones (file by file: regulation.md, memo.md, job.md, forms.md, page.html, style.css)",
    ),
    ("Только один вид документов", "Only one kind of documents"),
    (
        "Сначала прогнать прогноз и добавить в Положение приложение с его итогами",
        "Run the forecast first and add its results to the regulation as an appendix",
    ),
    ("С --forecast: число прогонов", "With --forecast: number of runs"),
    (
        "С --forecast: зерно генератора",
        "With --forecast: generator seed",
    ),
    ("Битрикс24 (REST)", "Bitrix24 (REST)"),
    (
        "Все четыре, каждая в своей подпапке",
        "All four, each in its own sub-folder",
    ),
    (
        "Тела запросов API (JSON) и README.md",
        "API request bodies (JSON) and README.md",
    ),
    (
        "Настройка этапов без привязки к CRM (YAML) для других программ",
        "CRM-neutral stage set-up (YAML) for other programs",
    ),
    ("Для какой CRM", "Which CRM"),
    (
        "Папка для файлов (создаётся, если её нет); без неё — вывод в stdout",
        "Folder for the files (created if missing); without it, standard output",
    ),
    ("Формат", "Format"),
    (
        "Добавить apply.sh — скрипт, который отправит запросы через curl (нужна --out)",
        "Add apply.sh — a script that sends the requests with curl (needs --out)",
    ),
    (
        "Папка для результатов (создаётся, если её нет)",
        "Folder for the results (created if missing)",
    ),
    ("Число прогонов прогноза", "Number of forecast runs"),
    (
        "Зерно генератора: одно зерно — одни и те же файлы",
        "Generator seed: one seed, the same files",
    ),
    (
        "Открытые сделки на сегодня (CSV или YAML): прогноз начинается с текущей воронки",
        "Today's open deals (CSV or YAML): the forecast starts from the current pipeline",
    ),
    (
        "Папка, куда скопировать шаблоны (создаётся, если её нет)",
        "Folder to copy the templates into (created if missing)",
    ),
    (
        "Перезаписать файлы, которые уже есть в папке",
        "Overwrite files already in the folder",
    ),
];

/// (Russian, English) value placeholders.
pub const VALUE_NAMES: &[(&str, &str)] = &[
    ("ФАЙЛ", "FILE"),
    ("ПАПКА", "DIR"),
    ("КОД", "CODE"),
    ("ЯЗЫК", "LANG"),
    ("СТАРТ", "START"),
    ("ВОРОНКА", "PIPELINE"),
    ("ПАРАМЕТР=ЗНАЧЕНИЯ", "PARAM=VALUES"),
    ("ЧИСЛО", "N"),
    ("ЗЕРНО", "SEED"),
    ("МЕСЯЦЕВ", "MONTHS"),
    ("ПОТОКОВ", "THREADS"),
    ("ФОРМАТ", "FORMAT"),
    ("ЧТО", "WHAT"),
    ("РОЛЬ", "ROLE"),
    ("ВЕРОЯТНОСТЬ", "PROBABILITY"),
    ("ТОЧНОСТЬ", "PRECISION"),
    ("ПЕРИОД", "PERIOD"),
    ("ВИД", "KIND"),
    ("АДРЕС", "ADDRESS"),
    ("ПОРТ", "PORT"),
    ("ЗНАЧЕНИЕ", "VALUE"),
    ("ДАТА", "DATE"),
];

/// The English of a Russian help text, or the text itself.
pub fn text(ru: &str) -> &str {
    TEXTS.iter().find(|(r, _)| *r == ru).map_or(ru, |(_, en)| en)
}

/// The English of a Russian placeholder.
pub fn value_name(ru: &str) -> Option<&'static str> {
    VALUE_NAMES.iter().find(|(r, _)| *r == ru).map(|(_, en)| *en)
}

import CamProbeCore

/// Every word of the report in Russian, Kazakh and English: one string table.
enum ReportText {
    static func title(_ language: Language) -> String {
        word("title", language)
    }

    static func word(_ key: String, _ language: Language) -> String {
        let entry = words[key] ?? [key, key, key]
        switch language {
        case .ru: return entry[0]
        case .kk: return entry[1]
        case .en: return entry[2]
        }
    }

    static func compliance(_ value: Compliance, _ language: Language) -> String {
        word("class." + value.rawValue, language)
    }

    static func state(_ state: MonitorState, _ language: Language) -> String {
        word("state." + state.rawValue, language)
    }

    /// A reason's kind, without one camera's values: "Разрешение ниже требуемого".
    static func reason(_ code: String, _ language: Language) -> String {
        let group: String
        switch code {
        case "probe.unauthorized", "probe.forbidden": group = "access"
        case "probe.stalled", "probe.no_video", "probe.undecodable", "probe.unsupported_codec": group = "novideo"
        case "probe.session_limit": group = "sessions"
        case _ where code.hasPrefix("probe."): group = "noconnection"
        case _ where code.hasPrefix("framerate."): group = "framerate"
        case _ where code.hasPrefix("keyframe_interval."): group = "keyframes"
        case _ where code.hasPrefix("clock."): group = "clock"
        default: group = code
        }
        return words["reason." + group].map { _ in word("reason." + group, language) } ?? code
    }

    /// Russian, Kazakh, English.
    static let words: [String: [String]] = [
        "title": ["Проверка систем видеонаблюдения школ", "Мектептердің бейнебақылау жүйелерін тексеру", "School video surveillance inspection"],
        "period": ["Период", "Кезең", "Period"],
        "generated": ["Составлен", "Жасалған", "Generated"],
        "organisations": ["Организации", "Ұйымдар", "Organisations"],
        "cameras": ["Камеры", "Камералар", "Cameras"],
        "total": ["Всего", "Барлығы", "Total"],
        "availability": ["Доступность", "Қолжетімділік", "Availability"],
        "availability.day": ["Доступность по дням", "Күндер бойынша қолжетімділік", "Availability by day"],
        "by.district": ["Соответствие по районам", "Аудандар бойынша сәйкестік", "Compliance by district"],
        "reasons": ["Причины", "Себептер", "Reasons"],
        "rule": ["Правило классификации", "Жіктеу ережесі", "Classification rule"],
        "rule.text": [
            "Школа не работает, если не работает больше половины её проверенных камер; иначе не соответствует требованиям, если хотя бы одна камера не работает или не соответствует; иначе соответствует. Камера соответствует, если работает и отвечает профилю требований; доступность — доля времени, когда камера работала, среди наблюдаемого.",
            "Мектеп тексерілген камераларының жартысынан астамы жұмыс істемесе, жұмыс істемейді деп есептеледі; әйтпесе кемінде бір камера жұмыс істемесе немесе талаптарға сәйкес келмесе, талаптарға сәйкес емес; әйтпесе сәйкес. Камера жұмыс істеп, талаптар профиліне сай болса, сәйкес; қолжетімділік — бақыланған уақыттың камера жұмыс істеген үлесі.",
            "A school is not working when more than half of its checked cameras are down; otherwise non-compliant when any camera is down or non-compliant; otherwise compliant. A camera is compliant when it works and meets its profile; availability is the share of observed time the camera worked.",
        ],
        "region": ["Регион", "Өңір", "Region"],
        "district": ["Район", "Аудан", "District"],
        "school": ["Школа", "Мектеп", "School"],
        "bin": ["БИН", "БСН", "BIN"],
        "camera": ["Камера", "Камера", "Camera"],
        "location": ["Место", "Орны", "Location"],
        "state": ["Состояние", "Күйі", "State"],
        "measured": ["Измерено", "Өлшенді", "Measured"],
        "required": ["Требуется", "Талап етіледі", "Required"],
        "outages": ["Простои", "Тоқтап қалулар", "Outages"],
        "from": ["с", "бастап", "from"],
        "to": ["по", "дейін", "to"],
        "duration": ["длительность", "ұзақтығы", "duration"],
        "ongoing": ["продолжается", "жалғасуда", "ongoing"],
        "snapshot": ["Снимок", "Сурет", "Snapshot"],
        "snapshot.none": ["нет снимка", "сурет жоқ", "no snapshot"],
        "snapshot.change": ["при смене состояния", "күй өзгергенде", "at the state change"],
        "snapshot.left_out": ["снимок не включён в файл", "сурет файлға енгізілмеген", "snapshot not in this file"],
        "snapshots.left_out": [
            "Снимки {cameras} камер не включены в этот файл, чтобы он открывался (в файле не более {mib} МБ снимков; сначала — неработающих и несоответствующих камер). Все снимки есть в отчёте по району или школе (--district, --school) и на живой странице /report.",
            "Файл ашылуы үшін {cameras} камераның суреті енгізілмеген (файлда {mib} МБ-тан аспайтын сурет бар; алдымен жұмыс істемейтін және талаптарға сәйкес емес камералардікі). Барлық суреттер аудан немесе мектеп бойынша есепте (--district, --school) және /report тірі бетінде бар.",
            "Snapshots of {cameras} cameras are not in this file, so that it opens (it carries at most {mib} MB of pictures, those of cameras not working and non-compliant first). A district's or a school's report (--district, --school) and the live page /report have them all.",
        ],
        "none": ["нет", "жоқ", "none"],
        "schools.by.district": ["Школы по районам", "Аудандар бойынша мектептер", "Schools by district"],
        "class.compliant": ["соответствует", "сәйкес", "compliant"],
        "class.non_compliant": ["не соответствует", "сәйкес емес", "non-compliant"],
        "class.not_working": ["не работает", "жұмыс істемейді", "not working"],
        "class.unknown": ["не проверено", "тексерілмеген", "not checked"],
        "state.up": ["работает", "жұмыс істейді", "up"],
        "state.degraded": ["не соответствует", "сәйкес емес", "degraded"],
        "state.down": ["не работает", "жұмыс істемейді", "down"],
        "state.unknown": ["неизвестно", "белгісіз", "unknown"],
        "reason.noconnection": ["Нет связи с камерой", "Камерамен байланыс жоқ", "No connection to the camera"],
        "reason.access": ["Доступ запрещён (учётные данные)", "Кіруге тыйым салынған (тіркелгі деректері)", "Access denied (credentials)"],
        "reason.novideo": ["Нет видеосигнала", "Бейнесигнал жоқ", "No video signal"],
        "reason.sessions": ["Регистратор исчерпал сеансы", "Тіркегіштің сеанстары таусылды", "Recorder out of sessions"],
        "reason.picture.black": ["Чёрное изображение", "Қара сурет", "Black picture"],
        "reason.picture.uniform": ["Нет сигнала (заливка)", "Сигнал жоқ (біркелкі сурет)", "No signal (flat picture)"],
        "reason.picture.frozen": ["Изображение застыло", "Сурет қатып қалды", "Frozen picture"],
        "reason.picture.blurred": ["Размытое изображение", "Бұлыңғыр сурет", "Blurred picture"],
        "reason.codec.not_allowed": ["Недопустимый кодек", "Рұқсат етілмеген кодек", "Codec not allowed"],
        "reason.resolution.below_minimum": ["Разрешение ниже требуемого", "Ажыратымдылық талаптан төмен", "Resolution below the rule"],
        "reason.framerate": ["Частота кадров ниже требуемой", "Кадр жиілігі талаптан төмен", "Frame rate below the rule"],
        "reason.keyframes": ["Редкие опорные кадры", "Тірек кадрлар сирек", "Keyframes too rare"],
        "reason.bitrate.too_low": ["Слишком низкий битрейт", "Битрейт тым төмен", "Bitrate too low"],
        "reason.clock": ["Часы камеры расходятся", "Камера сағаты ауытқиды", "Camera clock off"],
        "reason.stream.gaps": ["Пропуски в потоке", "Ағында үзілістер бар", "Gaps in the stream"],
        "reason.camera.analog": ["Аналоговая камера", "Аналогтық камера", "Analog camera"],
    ]
}
